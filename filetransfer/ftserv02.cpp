// SPDX-License-Identifier: MIT
// ftserv02 - the iterative file server (Practice 4, requirement 3), built to
// be trusted: a child per client, many files per connection, never a byte
// from outside the served directory.
//
// usage: ftserv02 [-d DIR] [-i SECONDS] [port]
//                  (DIR: default "."; port: default 9877, 0 lets the kernel
//                   pick; SECONDS: a client silent that long between
//                   requests is disconnected, default 300, 0: never)
//
// Protocol (PROTOCOL.md): the client sends a 4-byte length and a path; the
// server answers a 1-byte status and an 8-byte size, then the file, or the
// reason it refused.  Then the next request, until the client closes.
// Each request is logged to stderr: client, path, result, bytes.  A client
// that sends nothing for SECONDS is logged ("idle") and disconnected: a
// child per connection, each kept for ever, is how 300 idle connections
// become 300 processes.
//
// Observe: two clients at once (each has its own child: `ps --forest`);
// `ftcli02` asking for ../../etc/passwd, /etc/passwd, or a symlink out:
// refused, and the server goes on; sendfile(2) moving the file from the page
// cache to the socket without passing through the program.
#include "unp.h"
#include "sigchld.h"
#include "ftproto.hpp"
#include "served_dir.hpp"

#include <sys/sendfile.h>

#include <cctype>
#include <optional>
#include <string>
#include <system_error>

namespace {
// Serves one client's requests until it closes the connection (below main).
void serve(int connfd, const ft::ServedDir &dir, const std::string &peer);
long idle_timeout = 300;  // -i: seconds a client may stay silent
}  // namespace

int main(int argc, char **argv)
{
    int listenfd, connfd, on = 1, c;
    pid_t childpid;
    struct sockaddr_in servaddr, cliaddr;
    socklen_t clilen;
    const char *dirname = ".";

    // -h/--help before getopt sees them
    check_usage(argc, argv, true, "usage: ftserv02 [-d DIR] [-i SECONDS] [port]");
    while ((c = getopt(argc, argv, "d:i:")) != -1) {
        char *end = nullptr;
        if (c == 'i')
            idle_timeout = strtol(optarg, &end, 10);
        if (c == 'd')
            dirname = optarg;
        else if (c != 'i' || *optarg == '\0' || *end != '\0' || idle_timeout < 0 || idle_timeout > 86400)
            err_quit("usage: ftserv02 [-d DIR] [-i SECONDS] [port]");
    }
    if (argc - optind > 1)
        err_quit("usage: ftserv02 [-d DIR] [-i SECONDS] [port]");
    int port = optind < argc ? Parse_port(argv[optind]) : SERV_PORT;

    std::optional<ft::ServedDir> dir;
    try {
        dir.emplace(dirname);
    } catch (const std::system_error &e) {
        std::string call = e.what();  // "open: No such file or directory"
        err_quit("ftserv02: %s: %s error: %s", dirname, call.substr(0, call.find(':')).c_str(),
                 e.code().message().c_str());
    }

    listenfd = Socket(AF_INET, SOCK_STREAM, 0);                         //@blank (a) socket()
    Setsockopt(listenfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);     // restart at once after a stop
    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_addr.s_addr = htonl(INADDR_ANY);
    servaddr.sin_port = htons(static_cast<uint16_t>(port));
    Bind(listenfd, (SA *) &servaddr, sizeof servaddr);  //@blank (b) bind()
    Listen(listenfd, LISTENQ);                                          //@blank (c) listen()
    print_listening(listenfd);
    fprintf(stderr, "ftserv02: serving %s\n", dir->path().c_str());

    sigchld_quiet(1);                    // the request log is the record, not "child N terminated"
    Signal(SIGCHLD, sig_chld_waitpid);   // reap every child: no zombies
    Signal(SIGPIPE, SIG_IGN);            // a client gone mid-file: EPIPE, logged

    for (;;) {
        clilen = sizeof cliaddr;
        connfd = Accept(listenfd, (SA *) &cliaddr, &clilen);  //@blank (d) accept()
        std::string peer = Sock_ntop((SA *) &cliaddr, clilen);
        if ((childpid = fork()) == 0) {
            Close(listenfd);  // the child serves one client and never accepts
            struct timeval tv = {static_cast<time_t>(idle_timeout), 0};
            Setsockopt(connfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);  // the idle timeout
            serve(connfd, *dir, peer);
            Close(connfd);
            exit(0);
        }
        if (childpid < 0)  // out of processes: turn this client away, keep serving
            err_ret("ftserv02: fork error, dropping %s", peer.c_str());
        Close(connfd);  // the parent's copy: the child has its own
    }
}

namespace {

// One log line per request, written with one write(2) so the lines of
// children serving at the same time never mix.
void log_line(const std::string &peer, std::string_view path, const std::string &result)
{
    std::string line = "ftserv02: " + peer + " \"";
    for (std::size_t i = 0; i < path.size() && i < 100; i++) {
        unsigned char c = static_cast<unsigned char>(path[i]);
        if (isprint(c) && c != '"' && c != '\\') {
            line += static_cast<char>(c);
        } else {
            char esc[8];
            snprintf(esc, sizeof esc, "\\x%02x", c);
            line += esc;
        }
    }
    if (path.size() > 100)
        line += "...(" + std::to_string(path.size()) + " bytes)";
    line += "\" " + result + "\n";
    ssize_t ignored = write(STDERR_FILENO, line.data(), line.size());
    (void)ignored;  // nowhere left to report a failing stderr
}

// The 9-byte reply header, then (for a refusal) the reason, in one write:
// a header and a reason in two small writes would meet Nagle's algorithm
// and the client's delayed ACK, and each refusal would take 40 ms.
bool send_reply(int connfd, ft::Status status, std::uint64_t size, const std::string &reason = "")
{
    std::string msg(ft::kReplyHeader, '\0');
    auto *hdr = reinterpret_cast<unsigned char *>(msg.data());
    hdr[0] = status;
    ft::put_u64(hdr + 1, status == ft::kOk ? size : reason.size());
    if (status != ft::kOk)
        msg += reason;
    // MSG_MORE when file bytes follow: the header leaves in the same TCP
    // segment as the first of them (sendfile pushes the last one out).
    int flags = status == ft::kOk && size > 0 ? MSG_MORE : 0;
    for (std::size_t done = 0; done < msg.size();) {  // send() may take part of it
        ssize_t n = send(connfd, msg.data() + done, msg.size() - done, flags);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

// Copies size bytes of filefd to the socket; returns the count sent, which
// is short if the client went away or the file shrank.
std::uint64_t send_file(int connfd, int filefd, std::uint64_t size, int &err)
{
    off_t offset = 0;
    err = 0;
    while (static_cast<std::uint64_t>(offset) < size) {
        std::uint64_t left = size - static_cast<std::uint64_t>(offset);
        // The kernel copies page cache to socket: no read(), no user buffer.
        ssize_t n = sendfile(connfd, filefd, &offset, left < (1u << 30) ? left : (1u << 30));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            err = n < 0 ? errno : 0;  // 0: the file is shorter than it was
            break;
        }
    }
    return static_cast<std::uint64_t>(offset);
}

// A request whose path is longer than kMaxPath: its path is read and
// dropped (up to kMaxDiscard bytes) and the request refused.  False if the
// connection cannot go on (a path longer than that, or the client gone).
bool refuse_long_path(int connfd, const std::string &peer, std::uint32_t len)
{
    std::uint32_t skip = len <= ft::kMaxDiscard ? len : 0;
    char sink[4096];
    for (std::uint32_t left = skip; left > 0;) {
        std::size_t chunk = left < sizeof sink ? left : sizeof sink;
        if (readn(connfd, sink, chunk) != static_cast<ssize_t>(chunk))
            return false;
        left -= static_cast<std::uint32_t>(chunk);
    }
    std::string why = "path too long (" + std::to_string(len) + " bytes; at most " +
                      std::to_string(ft::kMaxPath) + ")";
    send_reply(connfd, ft::kBadRequest, 0, why);
    log_line(peer, "", "refused: " + why);
    return skip != 0;
}

// Serves one client's requests until it closes the connection.
void serve(int connfd, const ft::ServedDir &dir, const std::string &peer)
{
    unsigned char hdr[ft::kRequestHeader];
    std::string path;
    ssize_t n;

    for (;;) {
        //@blank-begin (e) read(): the request's 4-byte length, with readn (0 bytes: the client is done)
        n = readn(connfd, hdr, sizeof hdr);
        //@blank-end
        if (n != sizeof hdr) {  // 0: the client closed between requests, the normal end
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                log_line(peer, "", "idle for " + std::to_string(idle_timeout) + " s: disconnected");
            else if (n != 0)
                log_line(peer, "", "broken request");
            return;
        }
        std::uint32_t len = ft::get_u32(hdr);
        if (len > ft::kMaxPath) {  // refused; the connection goes on if the path could be dropped
            if (refuse_long_path(connfd, peer, len))
                continue;
            return;
        }
        path.resize(len);
        //@blank-begin (f) read(): the path itself, len bytes, with readn
        n = readn(connfd, path.data(), len);
        //@blank-end
        if (n != static_cast<ssize_t>(len)) {
            log_line(peer, path.substr(0, n > 0 ? n : 0), "broken request");
            return;
        }

        ft::Opened file = dir.open(path);
        if (file.status != ft::kOk) {
            bool told = send_reply(connfd, file.status, 0, file.reason);
            log_line(peer, path, "refused: " + file.reason);
            if (!told)
                return;
            continue;
        }
        //@blank-begin (g) write(): the reply header, status ok and the file's size
        if (!send_reply(connfd, ft::kOk, file.size)) {
            log_line(peer, path, std::string("client went away: ") + strerror(errno));
            return;
        }
        //@blank-end
        int err;
        std::uint64_t sent;  // declared apart: the blank below must not hold it
        sent = send_file(connfd, file.fd.get(), file.size, err);  //@blank (h) sendfile(): the file's bytes to the socket
        if (sent != file.size) {
            // Closing now is the only way to tell the client: it counts the
            // bytes against the size and sees the transfer is short.
            log_line(peer, path, "broken after " + std::to_string(sent) + " of " + std::to_string(file.size) +
                                     " bytes: " + (err ? strerror(err) : "the file shrank"));
            return;
        }
        log_line(peer, path, "ok " + std::to_string(sent) + " bytes");
    }
}

}  // namespace
