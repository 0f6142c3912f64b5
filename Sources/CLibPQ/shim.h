#ifndef HOTDESK_CLIBPQ_SHIM_H
#define HOTDESK_CLIBPQ_SHIM_H
// libpq's public API; every function it needs is non-variadic, so no shims are required.
#include <libpq-fe.h>
#endif
