// SPDX-License-Identifier: MIT
// Small additions of the kit, not in the book: port arguments, the
// "listening on" line, hints after a failed bind(), and --help.
#include "unp.h"

#include <cstdarg>
#include <initializer_list>
#include <string>

extern "C" {

namespace {

std::string usage_given;  // by check_usage, for err_usage

// arg as a decimal number from lo to 65535, or -1.
long port_number(const char *arg, long lo)
{
    if (arg == nullptr || *arg < '0' || *arg > '9')
        return -1;
    char *end = nullptr;
    errno = 0;
    long port = strtol(arg, &end, 10);
    return *end != '\0' || errno != 0 || port < lo || port > 65535 ? -1 : port;
}

}  // namespace

int Parse_port(const char *arg)
{
    long port = port_number(arg, 0);
    if (port < 0)
        err_usage("bad port number: %s (use 1024..65535, or 0 to let the kernel choose)",
                  arg ? arg : "(none)");
    return static_cast<int>(port);
}

int Parse_server_port(const char *arg)
{
    long port = port_number(arg, 1);
    if (port < 0)
        err_usage("bad port number: %s (the server's port, from 1 to 65535)", arg ? arg : "(none)");
    return static_cast<int>(port);
}

int bad_port_service(const char *serv, int allow_zero)
{
    if (serv == nullptr || strspn(serv, "0123456789") != strlen(serv) || *serv == '\0')
        return 0;  // a service name ("daytime"), or none
    return port_number(serv, allow_zero ? 0 : 1) < 0;
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
               "shows it); stop it or choose another port";  // bind_hint_for: TIME_WAIT
    default:
        return "";
    }
}

namespace {

// Counts the sockets on local TCP port `port` in /proc/net/tcp and tcp6:
// those listening (state 0A) and those in TIME_WAIT (06).
void count_port_states(int port, int *listening, int *time_wait)
{
    for (const char *path : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        FILE *f = fopen(path, "r");
        if (f == nullptr)
            continue;
        char line[512];
        while (fgets(line, sizeof line, f) != nullptr) {
            char local[64];
            unsigned state = 0;
            // "  0: 0100007F:1F90 00000000:0000 0A ..." (the header fails the scan)
            if (sscanf(line, " %*d: %63s %*s %x", local, &state) != 2)
                continue;
            const char *colon = strrchr(local, ':');
            if (colon == nullptr || strtol(colon + 1, nullptr, 16) != port)
                continue;
            *listening += state == 0x0A;
            *time_wait += state == 0x06;
        }
        fclose(f);
    }
}

}  // namespace

const char *bind_hint_for(int err, int fd, const SA *sa, socklen_t salen)
{
    int type = 0;
    socklen_t len = sizeof type;
    if (err != EADDRINUSE || getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0 ||
        type != SOCK_STREAM)
        return bind_hint(err);
    int listening = 0, time_wait = 0;
    count_port_states(sock_get_port(sa, salen), &listening, &time_wait);
    if (listening > 0 || time_wait == 0)
        return bind_hint(err);
    return "hint: no server listens on this port, but connections of an earlier one wait "
           "in TIME_WAIT for about a minute (`ss -tan state time-wait` shows them); a "
           "server that sets SO_REUSEADDR before bind() can bind its port at once";
}

void check_usage(int argc, char **argv, int ok, const char *usage)
{
    usage_given = usage;
    if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        printf("%s\n", usage);
        exit(0);
    }
    if (!ok)
        err_quit("%s", usage);
}

void err_usage(const char *fmt, ...)
{
    char reason[MAXLINE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    if (usage_given.empty())
        err_quit("%s", reason);
    err_quit("%s\n%s", reason, usage_given.c_str());
}

}  // extern "C"
