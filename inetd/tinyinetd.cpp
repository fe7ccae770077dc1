// SPDX-License-Identifier: MIT
// tinyinetd - a small super-server, to read next to the book's chapter 13:
// one process holds the listening sockets of many services, waits on all
// of them with select, and, per connection, accepts, forks, dup2()s the
// connection onto descriptors 0, 1 and 2 and execs the service's server,
// which only reads stdin and writes stdout (daytimeinetd, echoinetd).
//
// usage: tinyinetd [-d] [-R rate] -f CONF
//   -f CONF   services in inetd.conf syntax (see inetd_conf.h and README.md)
//   -d        stay in the foreground, errors on stderr (else: daemon_init, syslog)
//   -R rate   connections per second a service may take before it is
//             stopped for a few seconds (default 40; per line: nowait.max)
//
// For each service it prints (with -d) or logs
//     listening on 127.0.0.1, port 40123: line 2 (127.0.0.1:0 stream tcp)
// so ports picked by the kernel (port 0 in CONF) can be read back.
//
// Observe: `ss -ltnup` shows tinyinetd holding every port; `ps --ppid
// <pid>` shows one child per TCP client of an external or forking
// service, and no zombies once they end (SIGCHLD).  Edit CONF and
// `kill -HUP <pid>`: added lines start, removed ones stop, unchanged ones
// keep their sockets.  A bad line is reported with its number and skipped.
#include "inetd_conf.h"
#include "internal.h"

#include <grp.h>
#include <pwd.h>
#include <syslog.h>

#include <algorithm>
#include <memory>

namespace {

constexpr int kPauseSeconds = 3;  // a service over its rate stops this long (BSD inetd: 10 minutes)

struct Service {
    ServiceConf conf;
    int fd = -1;            // the listening (or UDP) socket; -1 while stopped
    pid_t lent_to = 0;      // `wait`: the server that has the socket now
    sockaddr_storage bound{};  // where it really is bound (port 0 resolved)
    socklen_t boundlen = 0;
    long window_start = 0;  // rate limit: this second's start (ms) and count
    int count = 0;
    long paused_until = 0;  // ms; 0: not paused
};
using Services = std::vector<std::unique_ptr<Service>>;

std::string conf_path;
int default_rate = 40;
sigset_t original_mask;      // restored in every child before exec
int saved_stderr = -1;       // a child's own stderr, kept across dup2 for exec errors
volatile sig_atomic_t got_sigchld = 0, got_sighup = 0;

void sig_chld(int) { got_sigchld = 1; }
void sig_hup(int) { got_sighup = 1; }

long now_ms()
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

// "listening on ..." on stdout with -d (flushed, for whoever reads it), in
// the log otherwise.
void announce(const Service &s)
{
    const SA *sa = (const SA *) &s.bound;
    char addr[INET6_ADDRSTRLEN + 8];
    snprintf(addr, sizeof addr, "%s", sock_ntop_host(sa, s.boundlen));
    if (daemon_proc) {
        err_msg("listening on %s, port %d: %s", addr, sock_get_port(sa, s.boundlen), s.conf.label().c_str());
    } else {
        printf("listening on %s, port %d: %s\n", addr, sock_get_port(sa, s.boundlen), s.conf.label().c_str());
        fflush(stdout);
    }
}

// socket, bind, listen for one service; false (reported) if a call fails.
// The socket is close-on-exec: a server exec'd for another service never
// inherits it.  Listening sockets are non-blocking, so that a client that
// resets between select and accept cannot block tinyinetd in accept.
bool open_service(Service &s, const SA *where, socklen_t len)
{
    int fd = socket(where->sa_family, s.conf.socktype | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        err_ret("%s: socket error", s.conf.label().c_str());
        return false;
    }
    const int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (bind(fd, where, len) < 0) {
        int saved = errno;
        err_msg("%s: bind error on %s: %s", s.conf.label().c_str(), sock_ntop(where, len), strerror(saved));
        close(fd);
        return false;
    }
    if (s.conf.socktype == SOCK_STREAM && listen(fd, LISTENQ) < 0) {
        err_ret("%s: listen error", s.conf.label().c_str());
        close(fd);
        return false;
    }
    if (s.conf.socktype == SOCK_STREAM && !s.conf.wait)
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    s.fd = fd;
    s.boundlen = sizeof s.bound;
    getsockname(fd, (SA *) &s.bound, &s.boundlen);
    return true;
}

// Without root, a server can only run as tinyinetd's own user.
bool user_allowed(const ServiceConf &c)
{
    struct passwd *pw = getpwnam(c.user.c_str());
    if (pw == nullptr)
        return false;
    if (getuid() == 0 || c.internal != nullptr || pw->pw_uid == getuid())
        return true;
    err_msg("%s: cannot run a server as %s: only root can change user (tinyinetd runs as uid %d); not started",
            c.label().c_str(), c.user.c_str(), static_cast<int>(getuid()));
    return false;
}

// In a child, as root: become the service's user, groups first (once
// setuid has run, setgid and initgroups are no longer allowed).
void become_user(const ServiceConf &c)
{
    if (getuid() != 0)
        return;
    struct passwd *pw = getpwnam(c.user.c_str());
    if (pw == nullptr)
        err_quit("%s: no such user %s", c.label().c_str(), c.user.c_str());
    if (setgid(pw->pw_gid) < 0)
        err_sys("setgid error");
    if (initgroups(pw->pw_name, pw->pw_gid) < 0)
        err_sys("initgroups error");
    if (setuid(pw->pw_uid) < 0)
        err_sys("setuid error");
}


// In the child, after a failed exec: the message must not go to the
// client (descriptor 2 is its socket now), so put the real stderr back.
[[noreturn]] void exec_failed(const ServiceConf &c)
{
    int saved = errno;
    if (saved_stderr >= 0)
        dup2(saved_stderr, STDERR_FILENO);
    errno = saved;
    err_sys("%s: exec %s error", c.label().c_str(), c.server.c_str());
}

// The child's side of one connection (or, for `wait`, of the lent
// socket): what the book's figure 13.7 shows inetd doing.
[[noreturn]] void run_server(const Services &services, const Service &s, int fd)
{
    const ServiceConf &c = s.conf;
    for (const auto &other : services)  // a built-in never execs: close-on-exec alone would leave them open
        if (other->fd >= 0 && other->fd != fd)
            close(other->fd);                     //@blank (a) close(): another service's socket
    sigprocmask(SIG_SETMASK, &original_mask, nullptr);  // the server gets the signals tinyinetd blocks
    signal(SIGHUP, SIG_DFL);
    signal(SIGCHLD, SIG_DFL);
    become_user(c);
    if (c.internal != nullptr) {  // a forking built-in: serve and go
        c.internal->stream(fd);
        _exit(0);
    }
    saved_stderr = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
    if (c.wait)  // the lent socket: a server expects blocking reads
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    //@blank-begin (b) dup2(): the connection becomes descriptors 0, 1 and 2
    for (int target = 0; target <= 2; target++)  // the connection becomes stdin, stdout and stderr
        if (fd != target)
            dup2(fd, target);               // (dup2 clears close-on-exec on the copies)
    //@blank-end
    //@blank-begin (c) close(): the original, now that 0, 1 and 2 are copies (unless it is one of them)
    if (fd > 2)
        close(fd);
    //@blank-end
    std::vector<char *> argv;
    for (const auto &a : c.argv)
        argv.push_back(const_cast<char *>(a.c_str()));
    argv.push_back(nullptr);
    execv(c.server.c_str(), argv.data());       //@blank (d) execv(): the service's server, with its argv
    exec_failed(c);
}

// fork, and run the server in the child; the child's pid, or -1.
pid_t spawn(const Services &services, const Service &s, int fd)
{
    pid_t pid;
    pid = fork();                                  //@blank (e) fork(): a process for the server
    if (pid < 0)
        err_ret("%s: fork error", s.conf.label().c_str());
    else if (pid == 0)
        run_server(services, s, fd);
    return pid;
}

// Counts one connection (or datagram); true if the service is over its
// rate, in which case its socket is closed for kPauseSeconds: clients are
// refused meanwhile instead of each costing a fork.
bool over_rate(Service &s)
{
    long now = now_ms();
    if (now - s.window_start >= 1000) {
        s.window_start = now;
        s.count = 0;
    }
    int max = s.conf.max_per_second ? s.conf.max_per_second : default_rate;
    if (++s.count <= max)
        return false;
    err_msg("%s: more than %d connections in one second: stopped for %d s", s.conf.label().c_str(), max,
            kPauseSeconds);
    close(s.fd);
    s.fd = -1;
    s.paused_until = now + kPauseSeconds * 1000L;
    return true;
}

// One datagram for a built-in UDP service, answered here.
void answer_datagram(Service &s)
{
    char buf[65536];
    struct sockaddr_storage cliaddr;
    socklen_t len = sizeof cliaddr;
    ssize_t n = recvfrom(s.fd, buf, sizeof buf, MSG_DONTWAIT, (SA *) &cliaddr, &len);
    if (n < 0)
        return;  // gone already (EAGAIN), or an ICMP error for an earlier answer
    // An answer to a server port could start a loop (echo <-> chargen,
    // each answering the other forever): BSD inetd drops those too.
    if (sock_get_port((SA *) &cliaddr, len) < 1024) {
        err_msg("%s: datagram from %s dropped (source port below 1024)", s.conf.label().c_str(),
                sock_ntop((SA *) &cliaddr, len));
        return;
    }
    s.conf.internal->dgram(s.fd, (SA *) &cliaddr, len, buf, static_cast<size_t>(n));
}

// A service's socket is readable: serve it.
void serve(const Services &services, Service &s)
{
    if (over_rate(s))
        return;
    if (s.conf.socktype == SOCK_DGRAM && s.conf.internal != nullptr) {
        answer_datagram(s);
    } else if (s.conf.wait) {  // lend the socket itself, until that server exits
        s.lent_to = spawn(services, s, s.fd);
        if (s.lent_to < 0)
            s.lent_to = 0;
    } else {
        int connfd;
        connfd = accept(s.fd, nullptr, nullptr);  //@blank (f) accept(): the client's connection
        if (connfd < 0)
            return;  // EAGAIN, ECONNABORTED: the client left before we got to it
        if (s.conf.internal != nullptr && !s.conf.internal->forks)
            s.conf.internal->stream(connfd);  // daytime, time: one write, no fork
        else
            spawn(services, s, connfd);
        close(connfd);  // the child has its own copy  //@blank (g) close(): what tinyinetd does not need
    }
}

// SIGCHLD: reap every child that has ended (none left as a zombie), and
// take back the socket of a `wait` service whose server it was.
void reap(Services &services)
{
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        for (auto &s : services)
            if (s->lent_to == pid)
                s->lent_to = 0;
        if (WIFSIGNALED(status))
            err_msg("server %d killed by signal %d", static_cast<int>(pid), WTERMSIG(status));
        else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
            err_msg("server %d exited with status %d", static_cast<int>(pid), WEXITSTATUS(status));
    }
}

// (Re)reads CONF: a line whose text is unchanged keeps its Service (and
// socket, and any server it lent it to); removed lines are closed first,
// so that a changed line can bind its port again; new lines are opened.
void load(Services &services)
{
    Conf conf = read_conf(conf_path);
    for (const auto &e : conf.errors)
        err_msg("%s%s%s", e.lineno ? (conf_path + ":" + std::to_string(e.lineno) + ": ").c_str() : "",
                e.message.c_str(), e.lineno ? "; line skipped" : "");
    Services kept, fresh;
    for (auto &c : conf.services) {
        auto same = std::find_if(services.begin(), services.end(),
                                 [&](const auto &s) { return s && s->conf.text == c.text; });
        if (same != services.end()) {
            (*same)->conf.lineno = c.lineno;  // it may have moved up or down
            kept.push_back(std::move(*same));
        } else {
            fresh.push_back(std::make_unique<Service>(Service{.conf = std::move(c)}));
        }
    }
    for (auto &s : services)  // what is left was removed from CONF
        if (s && s->fd >= 0) {
            err_msg("%s: removed, socket closed", s->conf.label().c_str());
            close(s->fd);
        }
    for (auto &s : fresh)
        if (user_allowed(s->conf) && open_service(*s, (SA *) &s->conf.addr, s->conf.addrlen))
            announce(*s);
    services = std::move(kept);
    for (auto &s : fresh)
        if (s->fd >= 0)
            services.push_back(std::move(s));
}

// Services whose pause is over get their socket back, on the same port.
void resume_paused(Services &services)
{
    long now = now_ms();
    for (auto &s : services)
        if (s->paused_until && now >= s->paused_until) {
            s->paused_until = 0;
            s->count = 0;
            if (open_service(*s, (SA *) &s->bound, s->boundlen))
                err_msg("%s: restarted", s->conf.label().c_str());
            else
                s->paused_until = now + kPauseSeconds * 1000L;  // try again later
        }
}

// How long select may wait: until the next paused service resumes, or
// forever (nullptr) when none is paused.
struct timespec *until_next_resume(const Services &services, struct timespec &ts)
{
    long next = 0;
    for (const auto &s : services)
        if (s->paused_until && (next == 0 || s->paused_until < next))
            next = s->paused_until;
    if (next == 0)
        return nullptr;
    long wait = std::max(0L, next - now_ms());
    ts.tv_sec = wait / 1000;
    ts.tv_nsec = (wait % 1000) * 1000000L;
    return &ts;
}

void usage_exit(int status)
{
    const char *usage = "usage: tinyinetd [-d] [-R rate] -f CONF";
    if (status == 0)
        printf("%s\n", usage);
    else
        err_quit("%s", usage);
    exit(0);
}

// The command line into conf_path (absolute: daemon_init will chdir to /,
// and SIGHUP reads the file again) and default_rate; true for -d.
bool parse_args(int argc, char **argv)
{
    bool debug = false;
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        if (a == "-h" || a == "--help")
            usage_exit(0);
        else if (a == "-d")
            debug = true;
        else if (a == "-f" && i + 1 < argc)
            conf_path = argv[++i];
        else if (a == "-R" && i + 1 < argc && (default_rate = atoi(argv[++i])) > 0)
            continue;
        else
            usage_exit(1);
    }
    if (conf_path.empty())
        usage_exit(1);
    char *real = realpath(conf_path.c_str(), nullptr);
    if (real == nullptr)
        err_sys("cannot open %s", conf_path.c_str());
    conf_path = real;
    free(real);
    return debug;
}

}  // namespace

int main(int argc, char **argv)
{
    bool debug = parse_args(argc, argv);
    if (!debug && daemon_init(argv[0], LOG_DAEMON) < 0)
        err_sys("daemon_init error");

    // SIGCHLD and SIGHUP stay blocked except inside pselect, which unblocks
    // them atomically: a signal arriving just before the wait is not lost
    // (with select, it could be, and tinyinetd would sleep on a zombie).
    sigset_t blocked;
    Sigemptyset(&blocked);
    Sigaddset(&blocked, SIGCHLD);
    Sigaddset(&blocked, SIGHUP);
    Sigprocmask(SIG_BLOCK, &blocked, &original_mask);
    Signal(SIGCHLD, sig_chld);                  //@blank (h) the SIGCHLD handler
    Signal(SIGHUP, sig_hup);

    Services services;
    load(services);
    err_msg("started: %zu services from %s", services.size(), conf_path.c_str());

    for (;;) {
        fd_set rset;
        FD_ZERO(&rset);
        int maxfd = -1;
        for (const auto &s : services)
            if (s->fd >= 0 && s->lent_to == 0) {  // a lent socket is its server's until it exits
                FD_SET(s->fd, &rset);                       //@blank (i) FD_SET(): this service's socket into the set
                maxfd = std::max(maxfd, s->fd);             //@blank (j) the highest descriptor in the set
            }
        struct timespec ts;
        int nready;
        nready = pselect(maxfd + 1, &rset, nullptr, nullptr, until_next_resume(services, ts), &original_mask);  //@blank (k) pselect()
        if (nready < 0 && errno != EINTR)
            err_sys("pselect error");

        if (got_sigchld) {
            got_sigchld = 0;
            reap(services);
        }
        if (got_sighup) {
            got_sighup = 0;
            err_msg("SIGHUP: reading %s again", conf_path.c_str());
            load(services);
            continue;  // rset describes the old set of sockets
        }
        //@blank-begin (l) serve each service whose socket is ready (FD_ISSET)
        for (auto &s : services)
            if (nready > 0 && s->fd >= 0 && FD_ISSET(s->fd, &rset))
                serve(services, *s);
        //@blank-end
        resume_paused(services);
    }
}
