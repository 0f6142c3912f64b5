#ifndef HOTDESK_CMICROHTTPD_SHIM_H
#define HOTDESK_CMICROHTTPD_SHIM_H
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <microhttpd.h>

// Swift cannot call C variadic functions, so the three variadic entry points of
// libmicrohttpd that the server needs are wrapped here with fixed parameter lists.

/// Where libmicrohttpd's error messages go: a plain function taking the formatted text, and its context.
struct hotdesk_mhd_logger {
    void (*log)(void *context, const char *message);
    void *context;
};

/// libmicrohttpd's printf-style logger, formatting into a buffer for `hotdesk_mhd_logger` (Swift cannot
/// take a `va_list`).
static inline void hotdesk_mhd_format_log(void *cls, const char *format, va_list arguments)
{
    const struct hotdesk_mhd_logger *logger = (const struct hotdesk_mhd_logger *) cls;
    char message[1024];
    vsnprintf(message, sizeof message, format, arguments);
    logger->log(logger->context, message);
}

/// Starts a daemon with the options HotDesk's server sets (`MHD_start_daemon` is variadic). With a
/// non-NULL `tls_key`, it speaks TLS with that PEM key, the PEM certificate chain `tls_certificate` and the
/// GnuTLS priority string `tls_priorities`.
static inline struct MHD_Daemon *hotdesk_mhd_start(
    unsigned int flags,
    const struct hotdesk_mhd_logger *logger,
    const char *tls_key, const char *tls_certificate, const char *tls_priorities,
    const struct sockaddr *address,
    MHD_AccessHandlerCallback handler, void *handler_context,
    MHD_RequestCompletedCallback completed, void *completed_context,
    void *(*uri_logger)(void *context, const char *uri, struct MHD_Connection *connection),
    void *uri_logger_context,
    unsigned int thread_pool_size,
    unsigned int connection_timeout_seconds,
    size_t connection_memory_limit,
    unsigned int connection_limit,
    unsigned int per_ip_connection_limit)
{
    struct MHD_OptionItem tls_options[] = {
        {MHD_OPTION_HTTPS_MEM_KEY, 0, (void *) tls_key},
        {MHD_OPTION_HTTPS_MEM_CERT, 0, (void *) tls_certificate},
        {MHD_OPTION_HTTPS_PRIORITIES, 0, (void *) tls_priorities},
        {MHD_OPTION_END, 0, NULL},
    };
    struct MHD_OptionItem no_options[] = {{MHD_OPTION_END, 0, NULL}};
    return MHD_start_daemon(
        flags | (tls_key != NULL ? MHD_USE_TLS : 0), 0, NULL, NULL, handler, handler_context,
        MHD_OPTION_EXTERNAL_LOGGER, hotdesk_mhd_format_log, (void *) logger,
        MHD_OPTION_ARRAY, tls_key != NULL ? tls_options : no_options,
        MHD_OPTION_SOCK_ADDR, address,
        MHD_OPTION_NOTIFY_COMPLETED, completed, completed_context,
        MHD_OPTION_URI_LOG_CALLBACK, uri_logger, uri_logger_context,
        MHD_OPTION_THREAD_POOL_SIZE, thread_pool_size,
        MHD_OPTION_CONNECTION_TIMEOUT, connection_timeout_seconds,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, connection_memory_limit,
        MHD_OPTION_CONNECTION_LIMIT, connection_limit,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip_connection_limit,
        MHD_OPTION_STRICT_FOR_CLIENT, (int) 1,
        MHD_OPTION_END);
}

/// The peer address of a connection (`MHD_get_connection_info` is variadic).
static inline const struct sockaddr *hotdesk_mhd_client_address(struct MHD_Connection *connection)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    return info == NULL ? NULL : info->client_addr;
}

/// The number of open connections (`MHD_get_daemon_info` is variadic).
static inline unsigned int hotdesk_mhd_connection_count(struct MHD_Daemon *daemon)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    return info == NULL ? 0 : info->num_connections;
}

/// The port the daemon is bound to, for port 0 (`MHD_get_daemon_info` is variadic).
static inline uint16_t hotdesk_mhd_bound_port(struct MHD_Daemon *daemon)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info == NULL ? 0 : info->port;
}
#endif
