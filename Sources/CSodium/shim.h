#ifndef HOTDESK_CSODIUM_SHIM_H
#define HOTDESK_CSODIUM_SHIM_H
// libsodium (argon2id password hashing, random bytes, constant-time comparison).
#include <sodium.h>
#endif
