// SPDX-License-Identifier: MIT
// Small additions of the kit, not in the book: port arguments, the
// "listening on" line, and hints after a failed bind().
#include "unp.h"

extern "C" {

int Parse_port(const char *arg)
{
    char *end = nullptr;
    errno = 0;
    long port = arg ? strtol(arg, &end, 10) : -1;
    if (arg == nullptr || *arg == '\0' || *end != '\0' || errno != 0 || port < 0 || port > 65535)
        err_quit("bad port number: %s (use 1024..65535, or 0 to let the kernel choose)",
                 arg ? arg : "(none)");
    return static_cast<int>(port);
}

void print_listening(int listenfd)
{
    struct sockaddr_storage ss {};
    socklen_t len = sizeof ss;
    Getsockname(listenfd, reinterpret_cast<SA *>(&ss), &len);
    printf("listening on %s, port %d\n", Sock_ntop_host(reinterpret_cast<SA *>(&ss), len),
           sock_get_port(reinterpret_cast<SA *>(&ss), len));
    fflush(stdout);  // a test or a pipe sees it now, not at exit
}

const char *bind_hint(int err)
{
    switch (err) {
    case EACCES:
        return "hint: ports below 1024 need root; use a port from 1024 to 65535, "
               "or 0 to let the kernel choose one";
    case EADDRINUSE:
        return "hint: another socket holds this port (another server? `ss -ltnp` "
               "shows it); stop it or choose another port";
    default:
        return "";
    }
}

}  // extern "C"
