/* SPDX-License-Identifier: MIT */
/*
 * unp.h - the book's API (Stevens, UNIX Network Programming vol. 1, 3rd ed.)
 *
 * A program written for the book includes only "unp.h" and links with
 * libunp; it compiles unchanged as C (gnu17) and as C++ (c++20).
 *
 * Two families of functions, as in the book:
 *   lowercase (readn, readline, sock_ntop, ...) return -1 and set errno;
 *   Capitalized (Socket, Bind, Readn, ...) call the lowercase or system
 *   function and, on failure, print "<call> error: <strerror text>" and
 *   exit(1).  They never return an error.
 *
 * Everything here has C linkage.  The C++ layer (unp.hpp, namespace unp)
 * reports errors to the caller instead of exiting.  The book's two other
 * headers are here too: unpthread.h (Pthread_* wrappers) and unpifi.h
 * (get_ifi_info).
 */
#ifndef UNP_H
#define UNP_H

/* The POSIX and BSD names the book uses (getaddrinfo, struct ifreq, ...),
 * even under a strict -std=c99 or -std=c17, unless the program chose its
 * own feature macros.  Include "unp.h" first, as the book does. */
#if !defined(_GNU_SOURCE) && !defined(_DEFAULT_SOURCE) && !defined(_POSIX_C_SOURCE) && !defined(_XOPEN_SOURCE)
#define _DEFAULT_SOURCE 1
#endif

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <sys/un.h>
#include <sys/select.h>
#include <sys/ioctl.h>          /* Ioctl, FIONREAD, SIOCATMARK */
#include <sys/mman.h>           /* Mmap's PROT_ and MAP_ flags */
#include <net/if.h>             /* if_nametoindex, struct ifreq */
#include <limits.h>
#include <pthread.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <poll.h>
#include <time.h>
#include <stdarg.h>
#include <stdint.h>
#include <stddef.h>

/* ---- constants and types (the book's values) ---- */

#define SERV_PORT      9877     /* TCP and UDP client-servers */
#define SERV_PORT_STR  "9877"
#define LISTENQ        1024     /* default listen() backlog; env LISTENQ overrides */
#define MAXLINE        4096     /* max text line length */
#define BUFFSIZE       8192     /* buffer size for reads and writes */
#define INFTIM         (-1)     /* poll(): wait forever */
#define UNIXSTR_PATH   "/tmp/unix.str"  /* Unix domain stream */
#define UNIXDG_PATH    "/tmp/unix.dg"   /* Unix domain datagram */

#define FILE_MODE (S_IRUSR | S_IWUSR | S_IRGRP | S_IROTH)  /* new files: rw-r--r-- */
#define DIR_MODE  (FILE_MODE | S_IXUSR | S_IXGRP | S_IXOTH) /* new directories: rwxr-xr-x */

/* glibc's <limits.h> has no OPEN_MAX (the limit is a run-time one:
 * sysconf(_SC_OPEN_MAX)); the book's poll servers size their arrays with
 * it.  1024 is Linux's usual soft limit on descriptors, and FD_SETSIZE. */
#ifndef OPEN_MAX
#define OPEN_MAX 1024
#endif

/* The host type, as the book's configure names it ("x86_64-pc-linux-gnu"),
 * from the compiler's own target. */
#ifndef CPU_VENDOR_OS
#if defined(__x86_64__)
#define UNP_CPU_VENDOR "x86_64-pc"
#elif defined(__i386__)
#define UNP_CPU_VENDOR "i686-pc"
#elif defined(__aarch64__)
#define UNP_CPU_VENDOR "aarch64-unknown"
#elif defined(__arm__)
#define UNP_CPU_VENDOR "arm-unknown"
#elif defined(__riscv) && __riscv_xlen == 64
#define UNP_CPU_VENDOR "riscv64-unknown"
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define UNP_CPU_VENDOR "powerpc64le-unknown"
#elif defined(__s390x__)
#define UNP_CPU_VENDOR "s390x-ibm"
#else
#define UNP_CPU_VENDOR "unknown-unknown"
#endif
#if defined(__linux__) && defined(__GLIBC__)
#define CPU_VENDOR_OS UNP_CPU_VENDOR "-linux-gnu"
#elif defined(__linux__)
#define CPU_VENDOR_OS UNP_CPU_VENDOR "-linux-musl"
#else
#define CPU_VENDOR_OS UNP_CPU_VENDOR "-unknown"
#endif
#endif

#define SA struct sockaddr

typedef void Sigfunc(int);      /* for signal handlers */

/* What recvfrom_flags returns about a received datagram (IP_PKTINFO). */
struct unp_in_pktinfo {
    struct in_addr ipi_addr;    /* destination IPv4 address */
    int ipi_ifindex;            /* index of the interface it came in on */
};

/* min and max: the book's macros in C.  C++ gets functions instead, since a
 * macro named max breaks <algorithm>, std::numeric_limits<T>::max() and
 * every other max in the standard library; the non-template overloads
 * below also win over std::max after a `using namespace std`.  Neither is
 * defined if the program already has a macro of that name. */
#ifndef __cplusplus
#ifndef min
#define min(a, b) ((a) < (b) ? (a) : (b))
#endif
#ifndef max
#define max(a, b) ((a) > (b) ? (a) : (b))
#endif
#else
#define UNP_MINMAX(T)                                          \
    inline constexpr T min(T a, T b) { return a < b ? a : b; } \
    inline constexpr T max(T a, T b) { return a > b ? a : b; }
#if !defined(min) && !defined(max)
UNP_MINMAX(int)
UNP_MINMAX(long)
UNP_MINMAX(long long)
UNP_MINMAX(unsigned)
UNP_MINMAX(unsigned long)
UNP_MINMAX(unsigned long long)
UNP_MINMAX(double)
#endif
#undef UNP_MINMAX
#endif

#ifdef __cplusplus
#define UNP_NORETURN [[noreturn]]
extern "C" {
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define UNP_NORETURN _Noreturn
#else
#define UNP_NORETURN __attribute__((noreturn))  /* C99 has no _Noreturn */
#endif

#define UNP_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))

/* ---- error functions (error.cpp) ----
 * Each prints the formatted message to stderr (to syslog when daemon_proc
 * is non-zero), after flushing stdout.  The errno variants append ": " and
 * strerror(errno).  err_sys and err_quit exit(1); err_dump calls abort(). */
extern int daemon_proc;

UNP_NORETURN void err_sys(const char *fmt, ...) UNP_PRINTF(1, 2);   /* errno, fatal */
UNP_NORETURN void err_dump(const char *fmt, ...) UNP_PRINTF(1, 2);  /* errno, core dump */
UNP_NORETURN void err_quit(const char *fmt, ...) UNP_PRINTF(1, 2);  /* no errno, fatal */
void err_ret(const char *fmt, ...) UNP_PRINTF(1, 2);                /* errno, returns */
void err_msg(const char *fmt, ...) UNP_PRINTF(1, 2);                /* no errno, returns */

/* ---- socket wrappers (wrapsock.cpp) ---- */
int   Socket(int family, int type, int protocol);
void  Bind(int fd, const SA *sa, socklen_t salen);
void  Listen(int fd, int backlog);              /* env LISTENQ overrides backlog */
int   Accept(int fd, SA *sa, socklen_t *salenptr); /* retries ECONNABORTED, EPROTO; EINTR fatal */
void  Connect(int fd, const SA *sa, socklen_t salen);
void  Shutdown(int fd, int how);
void  Getsockname(int fd, SA *sa, socklen_t *salenptr);
void  Getpeername(int fd, SA *sa, socklen_t *salenptr);
void  Getsockopt(int fd, int level, int optname, void *optval, socklen_t *optlenptr);
void  Setsockopt(int fd, int level, int optname, const void *optval, socklen_t optlen);
void  Socketpair(int family, int type, int protocol, int fd[2]);
ssize_t Recv(int fd, void *ptr, size_t nbytes, int flags);
void  Send(int fd, const void *ptr, size_t nbytes, int flags);
ssize_t Recvfrom(int fd, void *ptr, size_t nbytes, int flags, SA *sa, socklen_t *salenptr);
void  Sendto(int fd, const void *ptr, size_t nbytes, int flags, const SA *sa, socklen_t salen);
int   Select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
             struct timeval *timeout);
int   Poll(struct pollfd *fdarray, unsigned long nfds, int timeout);
ssize_t Recvmsg(int fd, struct msghdr *msg, int flags);
void  Sendmsg(int fd, const struct msghdr *msg, int flags);  /* all of it, or fatal */
int   Sockatmark(int fd);                       /* 1 at the out-of-band mark, else 0 */

/* ---- Unix wrappers (wrapunix.cpp) ---- */
ssize_t Read(int fd, void *ptr, size_t nbytes);
void  Write(int fd, const void *ptr, size_t nbytes);
void  Close(int fd);                            /* also drops readline's buffer for fd */
pid_t Fork(void);
pid_t Wait(int *iptr);
pid_t Waitpid(pid_t pid, int *iptr, int options);
void  Dup2(int fd1, int fd2);
int   Open(const char *pathname, int oflag, mode_t mode);
int   Fcntl(int fd, int cmd, int arg);
void  Pipe(int fds[2]);
void *Malloc(size_t size);
void *Calloc(size_t n, size_t size);
void  Gettimeofday(struct timeval *tv, void *foo);
void  Sigemptyset(sigset_t *set);
void  Sigfillset(sigset_t *set);
void  Sigaddset(sigset_t *set, int signo);
void  Sigdelset(sigset_t *set, int signo);
int   Sigismember(const sigset_t *set, int signo);
void  Sigprocmask(int how, const sigset_t *set, sigset_t *oset);
void  Sigpending(sigset_t *set);
int   Ioctl(int fd, unsigned long request, void *arg);
void *Mmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset);
int   Mkstemp(char *tmpl);                      /* "...XXXXXX", replaced by the name made */
void  Unlink(const char *pathname);
char *Strdup(const char *str);
long  Sysconf(int name);                        /* -1 for "no limit" is not an error */

/* ---- stdio wrappers (wrapstdio.cpp) ---- */
char *Fgets(char *ptr, int n, FILE *stream);   /* NULL at EOF; error is fatal */
void  Fputs(const char *ptr, FILE *stream);
FILE *Fopen(const char *pathname, const char *mode);
FILE *Fdopen(int fd, const char *type);
void  Fclose(FILE *fp);

/* ---- address conversion (wraplib.cpp) ---- */
void  Inet_pton(int family, const char *strptr, void *addrptr);  /* 0 result: err_quit */
const char *Inet_ntop(int family, const void *addrptr, char *strptr, size_t len);
unsigned int If_nametoindex(const char *name);   /* unknown name: fatal */
char *If_indextoname(unsigned int index, char *name);  /* name: IF_NAMESIZE bytes */
struct if_nameindex *If_nameindex(void);         /* free with if_freenameindex */

/* ---- reading and writing exactly n bytes (readn.cpp: both) ----
 * Both loop over partial transfers and restart on EINTR.
 * readn returns the bytes read: less than n only at EOF; -1 on error. */
ssize_t readn(int fd, void *vptr, size_t n);
ssize_t writen(int fd, const void *vptr, size_t n);  /* n, or -1 on error */
ssize_t Readn(int fd, void *ptr, size_t nbytes);
void    Writen(int fd, const void *ptr, size_t nbytes);

/* ---- reading a line (readline.cpp) ----
 * readline reads up to maxlen-1 bytes, stopping after a newline (which is
 * kept), and NUL-terminates.  Returns the count, 0 at EOF with nothing read,
 * -1 on error.  A line longer than maxlen-1 comes back in pieces of
 * exactly maxlen-1 bytes without a newline.  Whether such a piece is
 * followed by more of its line or was the end of the data, only the next
 * call tells (0 at EOF): a caller that skips the pieces of a line too long
 * for it must still answer that line when readline returns 0.
 *
 * It is buffered: one read(2) fills a buffer of up to BUFFSIZE (8 KiB)
 * that belongs to that descriptor alone, so lines of different descriptors
 * never mix, and threads may call it at once, each on its own descriptor.
 * Two threads reading the same descriptor share its buffer unguarded: don't.
 * Bytes it buffered are not seen by a later read(2) on the same
 * descriptor; Close(fd) discards them.
 *
 * readline_bytewise is the book's first version, one read(2) per byte:
 * correct and unbuffered, and slow (see bench/libunp/libunp_bench.cpp). */
ssize_t readline(int fd, void *vptr, size_t maxlen);
ssize_t Readline(int fd, void *ptr, size_t maxlen);
ssize_t readline_bytewise(int fd, void *vptr, size_t maxlen);
/* Bytes readline has buffered for fd and not yet returned. */
ssize_t readlinebuf(int fd, void **vptrptr);
/* Forget fd's buffered bytes; Close() calls it.  Call it yourself if you
 * close a descriptor with close(2) after using readline on it. */
void    readline_forget(int fd);

/* ---- signals (signal.cpp) ----
 * Signal installs func with sigaction and returns the previous handler.
 * SA_RESTART is set for every signal but SIGALRM, so slow system calls
 * interrupted by a handler are restarted, while a SIGALRM can still
 * interrupt one (for timeouts).  Signal_intr never sets SA_RESTART. */
Sigfunc *Signal(int signo, Sigfunc *func);
Sigfunc *Signal_intr(int signo, Sigfunc *func);

/* ---- socket address to text (sock_ntop.cpp) ----
 * "1.2.3.4:80", "[::1]:80", or the path of a Unix socket.
 * sock_ntop writes into one of 8 per-thread buffers used in rotation, so up
 * to 8 results (e.g. two in one printf) stay valid at once; threads never
 * share one.  sock_ntop_r writes into the caller's buffer.
 * sock_ntop_host gives the address only ("1.2.3.4", "::1"). */
char *sock_ntop(const SA *sa, socklen_t salen);
char *Sock_ntop(const SA *sa, socklen_t salen);
char *sock_ntop_host(const SA *sa, socklen_t salen);
char *Sock_ntop_host(const SA *sa, socklen_t salen);
char *sock_ntop_r(const SA *sa, socklen_t salen, char *buf, size_t buflen);
int   sock_get_port(const SA *sa, socklen_t salen);   /* host order, -1 if none */

/* ---- socket addresses of any family (sock_addr.cpp, sockfd_to_family.cpp) ----
 * Ports are in host byte order, as sock_get_port's (the book passes some
 * in network byte order).  The compare functions return 0 when equal,
 * -1 for different families.  sock_bind_wild binds the wildcard address
 * and a port the kernel picks, and returns that port. */
void  sock_set_port(SA *sa, socklen_t salen, int port);
void  sock_set_addr(SA *sa, socklen_t salen, const void *addr);  /* an in_addr or in6_addr */
void  sock_set_wild(SA *sa, socklen_t salen);
int   sock_cmp_addr(const SA *sa1, const SA *sa2, socklen_t salen);
int   sock_cmp_port(const SA *sa1, const SA *sa2, socklen_t salen);
int   sock_bind_wild(int sockfd, int family);
int   Sock_bind_wild(int sockfd, int family);
int   sockfd_to_family(int sockfd);            /* AF_xxx of the socket's own address */
int   Sockfd_to_family(int sockfd);
int   family_to_level(int family);             /* IPPROTO_IP or IPPROTO_IPV6 */
int   Family_to_level(int family);

/* ---- this host (my_addrs.cpp, wrapunix.cpp) ----
 * my_addrs: the addresses this host's name resolves to, as a NULL-ended
 * array of pointers to in_addr (or in6_addr: see *addrtype), in storage
 * the next call reuses; NULL if the name does not resolve. */
char **my_addrs(int *addrtype);
char **My_addrs(int *addrtype);
void  Gethostname(char *name, size_t len);     /* always NUL-terminated */

/* ---- time (tv_sub.cpp, gf_time.cpp) ---- */
void  tv_sub(struct timeval *out, struct timeval *in);  /* out -= in */
char *gf_time(void);                           /* "hh:mm:ss.uuuuuu", a per-thread buffer */

/* ---- protocol-independent TCP setup (tcp_connect.cpp, tcp_listen.cpp) ----
 * host and serv are names or numbers; IPv4 and IPv6.
 * tcp_connect tries each address getaddrinfo returns and returns a
 * connected socket; tcp_listen binds (with SO_REUSEADDR) and listens, and
 * stores the address length in *addrlenp if it is not NULL.
 * As in the book, they print the reason and exit on failure
 * (getaddrinfo's own message for lookup failures); the Capitalized names
 * are the same functions.  host_serv returns getaddrinfo's list, or NULL. */
int   tcp_connect(const char *host, const char *serv);
int   Tcp_connect(const char *host, const char *serv);
int   tcp_listen(const char *host, const char *serv, socklen_t *addrlenp);
int   Tcp_listen(const char *host, const char *serv, socklen_t *addrlenp);
struct addrinfo *host_serv(const char *host, const char *serv, int family, int socktype);
struct addrinfo *Host_serv(const char *host, const char *serv, int family, int socktype);

/* ---- timeouts (connect_timeo.cpp, connect_nonb.cpp, readable_timeo.cpp) ----
 * connect_timeo: connect() interrupted by SIGALRM after nsec seconds
 * (errno ETIMEDOUT), as in the book; one alarm per process, so
 * single-threaded programs only.  connect_nonb: a non-blocking connect
 * waited for at most nsec seconds (0: no limit), then blocking again;
 * -1 with errno ECONNREFUSED, ETIMEDOUT, ...  Unlike the book's, it does
 * not close sockfd on failure: the caller owns it.
 * readable_timeo/writable_timeo: >0 once fd is readable (writable), 0
 * after sec seconds, -1 on error. */
int   connect_timeo(int sockfd, const SA *saptr, socklen_t salen, int nsec);
void  Connect_timeo(int sockfd, const SA *saptr, socklen_t salen, int nsec);
int   connect_nonb(int sockfd, const SA *saptr, socklen_t salen, int nsec);
int   readable_timeo(int fd, int sec);
int   Readable_timeo(int fd, int sec);
int   writable_timeo(int fd, int sec);
int   Writable_timeo(int fd, int sec);

/* ---- passing descriptors over a Unix domain socket (fd_passing.cpp) ----
 * write_fd sends nbytes (at least 1) of data with sendfd; read_fd reads
 * up to nbytes and sets *recvfd to the descriptor received with them (a
 * new one, open in this process), or -1 if none came.  Both return the
 * data bytes, 0 at EOF (read_fd), -1 on error. */
ssize_t write_fd(int fd, const void *ptr, size_t nbytes, int sendfd);
ssize_t Write_fd(int fd, const void *ptr, size_t nbytes, int sendfd);
ssize_t read_fd(int fd, void *ptr, size_t nbytes, int *recvfd);
ssize_t Read_fd(int fd, void *ptr, size_t nbytes, int *recvfd);

/* ---- a datagram and where it went (recvfrom_flags.cpp) ----
 * recvfrom with recvmsg: *flagsp goes in as recvmsg's flags and comes back
 * as the datagram's (MSG_TRUNC: it was longer than nbytes).  If pktp is
 * not NULL, *pktp gets the IPv4 destination address and arrival interface
 * (zeros when unknown, e.g. IPv6).  Turn IP_PKTINFO on (setsockopt) before
 * the datagrams arrive, as the book's programs do: recvfrom_flags turns it
 * on too, but for a datagram queued earlier the interface is unknown. */
ssize_t recvfrom_flags(int fd, void *ptr, size_t nbytes, int *flagsp, SA *sa, socklen_t *salenptr,
                       struct unp_in_pktinfo *pktp);
ssize_t Recvfrom_flags(int fd, void *ptr, size_t nbytes, int *flagsp, SA *sa, socklen_t *salenptr,
                       struct unp_in_pktinfo *pktp);

/* ---- the echo service (str_echo.cpp, str_cli.cpp) ----
 * str_echo: copy everything read from sockfd back to it until EOF.
 * str_cli: for each line of fp, send it, read back the echo, print it;
 * exits with "str_cli: server terminated prematurely" if the server goes. */
void  str_echo(int sockfd);
void  str_cli(FILE *fp, int sockfd);

/* ---- UDP (book chapters 8 and 11): dg_echo.cpp, dg_cli.cpp, udp_setup.cpp ----
 * Sendto and Recvfrom are with the socket wrappers above.
 * dg_echo: receive each datagram (up to 65507 bytes, never cut) and send
 * it back to its sender, forever; a failed reply is reported (err_ret)
 * and the next datagram served.  pcliaddr is the caller's buffer of
 * clilen bytes for the sender's address.
 * dg_cli: for each line of fp, one datagram to pservaddr, then wait for
 * one reply (from anyone: see udpcliserv/udpcliaddr) and print it.  No
 * timeout: a lost datagram leaves it blocked in recvfrom.  A reply larger
 * than MAXLINE is cut and reported ("dg_cli: reply of N bytes cut to
 * 4096 (MSG_TRUNC)").
 * udp_client: an unconnected socket for host/serv, and in *saptr (from
 * malloc: the caller frees it) and *lenp the server's address for sendto.
 * udp_connect: a connected socket for host/serv (ICMP errors are then
 * reported: ECONNREFUSED).  udp_server: a socket bound to host (NULL:
 * any) and serv, without SO_REUSEADDR; *addrlenp (if not NULL) gets the
 * address length.  All three print the book's message and exit on failure
 * ("udp_client error for HOST, SERV: <reason>"), with getaddrinfo's text
 * for lookup failures; the Capitalized names are the same functions.
 * print_listening (below) works on a bound UDP socket as on a listener. */
void  dg_echo(int sockfd, SA *pcliaddr, socklen_t clilen);
void  dg_cli(FILE *fp, int sockfd, const SA *pservaddr, socklen_t servlen);
int   udp_client(const char *host, const char *serv, SA **saptr, socklen_t *lenp);
int   Udp_client(const char *host, const char *serv, SA **saptr, socklen_t *lenp);
int   udp_connect(const char *host, const char *serv);
int   Udp_connect(const char *host, const char *serv);
int   udp_server(const char *host, const char *serv, socklen_t *addrlenp);
int   Udp_server(const char *host, const char *serv, socklen_t *addrlenp);

/* ---- Daemons (book chapter 13: daemon_init.cpp, daemon_inetd.cpp, daemon_log.cpp) ----
 * daemon_init: fork (the parent _exits), setsid, ignore SIGHUP, fork again
 * (child 1 _exits), set daemon_proc, chdir("/"), close descriptors 0-63,
 * open /dev/null on 0, 1 and 2, and open the log as basename(pname) with
 * LOG_PID and facility (0: LOG_USER).  The umask is left as it was, as in
 * the book.  Returns 0 in the daemon, -1 if a step failed.
 * daemon_inetd: for a server inetd started (the connection on 0, 1, 2):
 * set daemon_proc and open the log the same way.
 * daemon_openlog / daemon_syslog: the log they use, which err_* write to
 * once daemon_proc is set: syslog(3), or, if the environment variable
 * SOCKLAB_SYSLOG_SOCKET names a unix datagram socket, that socket, with
 * "<PRI>Mmm dd hh:mm:ss IDENT[PID]: MESSAGE" lines (RFC 3164, as glibc
 * sends to /dev/log).  msg is text, never a format. */
int   daemon_init(const char *pname, int facility);
void  daemon_inetd(const char *pname, int facility);
void  daemon_openlog(const char *ident, int option, int facility);
void  daemon_syslog(int level, const char *msg);

/* ---- kit additions, not in the book (socklab.cpp) ----
 * Parse_port: a server's own port, decimal 0..65535 (0: the kernel picks
 * one), or exit with "bad port number: <arg>" and the range.
 * Parse_server_port: the port a client connects to, decimal 1..65535 (no
 * server listens on port 0), or exit likewise.
 * bad_port_service: for getaddrinfo's service argument, 1 if it is a
 * number but no port (over 65535, or 0 where allow_zero is 0), which
 * getaddrinfo would accept and wrap around; 0 for ports and service names.
 * print_listening: print "listening on <addr>, port <n>" for a listening
 * socket and flush stdout, so a student (and a test) sees the port the
 * kernel picked for port 0.
 * bind_hint: after a failed bind(), a one-line hint for EACCES (ports below
 * 1024 need root) and EADDRINUSE (another server holds the port), or "".
 * bind_hint_for: the same for bind(fd, sa, salen), telling apart for a TCP
 * socket without SO_REUSEADDR a port held only by connections in TIME_WAIT
 * (the hint then explains SO_REUSEADDR).  Bind prints it.
 * err_bind: the one way a failed bind() is reported (Bind, tcp_listen,
 * udp_server): "<what>: <strerror(err)>" first, the book's familiar line,
 * then the hint (if not "") on a line of its own; exits 1.
 * check_usage: a program's argument check in one line.  argv[1] "-h" or
 * "--help": print usage on stdout and exit 0; otherwise, when ok is 0,
 * print it on stderr and exit 1 (as err_quit does); when ok, return.  It
 * keeps the usage line for err_usage.
 * err_usage: a bad argument: print the reason (a format, as err_quit),
 * then on the next line the usage line check_usage was given, and exit 1.
 * Parse_port, Parse_server_port and Inet_pton use it, so "bad port number"
 * comes with the usage of the program that said it (a program that never
 * called check_usage, as the book's own, prints the reason alone). */
int   Parse_port(const char *arg);
int   Parse_server_port(const char *arg);
int   bad_port_service(const char *serv, int allow_zero);
void  print_listening(int listenfd);
const char *bind_hint(int err);
const char *bind_hint_for(int err, int fd, const SA *sa, socklen_t salen);
UNP_NORETURN void err_bind(const char *what, int err, const char *hint);
void  check_usage(int argc, char **argv, int ok, const char *usage);
UNP_NORETURN void err_usage(const char *fmt, ...) UNP_PRINTF(1, 2);


/* ---- hostile peers (issue 20, reliability; printable.cpp, accept_reserve.cpp) ----
 * printable: copies n bytes of src into dst (dstlen bytes, always
 * NUL-terminated, cut short if it does not fit), each control character,
 * DEL, byte >= 0x80 and backslash written as \xNN, so text from the
 * network cannot move the cursor or rewrite the terminal.  Returns dst.
 *
 * accept_reserve: accept() for a server that may run out of descriptors.
 * accept_reserve_init opens a spare descriptor (/dev/null).  On EMFILE or
 * ENFILE, accept_reserve closes the spare, accepts the waiting client,
 * closes it at once (the client sees the connection end instead of waiting
 * in the queue), opens the spare again and returns -1 with errno EMFILE:
 * the listening socket is no longer readable for that client, so a select
 * or poll loop does not spin on it.  It logs once when it starts turning
 * clients away and once when an accept succeeds again.  Any other result
 * is accept()'s own. */
struct accept_reserve {
    int spare;     /* the descriptor kept for this, or -1 */
    int shedding;  /* nonzero while clients are being turned away */
};
void  accept_reserve_init(struct accept_reserve *r);
int   accept_reserve(struct accept_reserve *r, int listenfd, SA *sa, socklen_t *salenp);
char *printable(char *dst, size_t dstlen, const void *src, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* UNP_H */
