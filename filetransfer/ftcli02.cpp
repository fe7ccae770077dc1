// SPDX-License-Identifier: MIT
// ftcli02 - the iterative file client (Practice 4, requirement 3).
//
// usage: ftcli02 [-f] [-t SECONDS] <host> <port>
//
// Connects once, then reads lines "REMOTE-PATH [LOCAL-NAME]" from stdin
// (prompting when stdin is a terminal) and fetches each file over the same
// connection, until an empty line or end of input (Ctrl-D).  A name with
// blanks in it is quoted or escaped as in a shell: 'my notes.txt' (every
// character as it is, up to the next '), "my notes.txt" (inside which \"
// and \\ stand for " and \), or my\ notes.txt (outside quotes a backslash
// takes the next character as it is).  LOCAL-NAME defaults to the remote
// file's base name in the current directory; a directory means "into that
// directory", and one that does not exist is named: "no such directory:
// DIR".  An existing file is kept unless -f is given.
//
// Nothing half-written: the bytes go into a temporary file beside the
// target (".NAME.part-XXXXXX"), renamed to NAME only once all of them have
// arrived.  A refusal (no such file, outside the served directory, ...)
// prints the server's reason and the session goes on; a broken connection
// prints how far the transfer got and ends the session.  Exit status 0 only
// if every file arrived.  On a terminal, large files show a progress bar on
// stderr, fitted to the terminal's width (progress.hpp); off one, the
// client prints nothing but errors.  A server that sends nothing for
// SECONDS (default 30; 0: wait for ever) ends the session with "no answer
// from the server in 30 s".  The server's reasons are printed with control
// characters escaped (printable() in libunp).
#include "unp.h"
#include "unp.hpp"
#include "ftproto.hpp"
#include "part_file.hpp"
#include "progress.hpp"

#include <fcntl.h>

#include <iostream>
#include <string>
#include <vector>

namespace {

enum Outcome { kDone, kRefused, kBroken };

const char *const kUsage = "usage: ftcli02 [-f] [-t SECONDS] <host> <port>";
long timeout = 30;   // -t: seconds without a byte from the server
bool force = false;  // -f: overwrite existing files

// Why a read from the server failed: SO_RCVTIMEO's EAGAIN said plainly.
std::string why(int err)
{
    if (err == EAGAIN || err == EWOULDBLOCK)
        return "no answer from the server in " + std::to_string(timeout) + " s (-t SECONDS to wait longer)";
    return strerror(err);
}

// -f and -t; returns the index of the first operand (below main).
int parse_options(int argc, char **argv);

// Reads the requests from stdin and fetches each; the exit status (below main).
int session(int sockfd);

}  // namespace

int main(int argc, char **argv)
{
    int sockfd = -1, e, saved = 0;
    struct addrinfo hints, *res, *ai;

    int first = parse_options(argc, argv);
    const char *host = argv[first], *port = argv[first + 1];
    Parse_server_port(port);

    bzero(&hints, sizeof hints);
    hints.ai_family = AF_UNSPEC;  // IPv4 or IPv6, whatever host names
    hints.ai_socktype = SOCK_STREAM;
    if ((e = getaddrinfo(host, port, &hints, &res)) != 0)
        err_quit("ftcli02: %s: %s", host, gai_strerror(e));
    for (ai = res; ai != nullptr; ai = ai->ai_next) {  // the first address that answers
        sockfd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);  //@blank (i) socket()
        if (sockfd < 0)
            continue;
        // A server that accepts and then says nothing must not hold us for
        // ever: each read (and write) waits at most `timeout` seconds.
        struct timeval tv = {static_cast<time_t>(timeout), 0};
        Setsockopt(sockfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        Setsockopt(sockfd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        if (connect(sockfd, ai->ai_addr, ai->ai_addrlen) == 0)            //@blank (j) connect()
            break;
        saved = errno;
        close(sockfd);
        sockfd = -1;
    }
    freeaddrinfo(res);
    if (sockfd < 0) {
        errno = saved;
        err_sys("connect error: %s port %s", host, port);
    }

    Signal(SIGPIPE, SIG_IGN);  // a server gone: EPIPE on write, reported
    ft::remove_part_on_signals();  // Ctrl-C leaves no temporary file

    int status = session(sockfd);
    Close(sockfd);
    return status;
}

namespace {

int parse_options(int argc, char **argv)
{
    int c;
    check_usage(argc, argv, true, kUsage);  // -h/--help before getopt sees them
    while ((c = getopt(argc, argv, "ft:")) != -1) {
        char *end = nullptr;
        if (c == 't')
            timeout = strtol(optarg, &end, 10);
        if (c == 'f')
            force = true;
        else if (c != 't' || *optarg == '\0' || *end != '\0' || timeout < 0 || timeout > 86400)
            err_quit("%s", kUsage);
    }
    if (argc - optind != 2)
        err_quit("%s", kUsage);
    return optind;
}

// Splits a line into words at blanks, as a shell would: inside 'single
// quotes' every character is itself; inside "double quotes" a backslash
// makes the next " or \ plain; elsewhere a backslash makes any next
// character plain.  So 'my notes.txt', "my notes.txt" and my\ notes.txt
// all name the file "my notes.txt".  Returns the open quote character if
// one is left open, else '\0'.
char split_words(const std::string &line, std::vector<std::string> &words)
{
    std::string word;
    bool in_word = false;
    char quote = '\0';  // the quote we are inside, if any
    for (std::size_t i = 0; i < line.size(); i++) {
        char c = line[i];
        bool last = i + 1 == line.size();
        if (quote == '\'' && c != '\'') {
            word += c;
        } else if (c == '\\' && !last && (quote == '\0' || line[i + 1] == '"' || line[i + 1] == '\\')) {
            word += line[++i];
        } else if (c == quote) {
            quote = '\0';
        } else if ((c == '"' || c == '\'') && quote == '\0') {
            quote = c;
            in_word = true;  // "" is a word, if an empty one
        } else if ((c == ' ' || c == '\t') && quote == '\0') {
            if (in_word)
                words.push_back(word);
            word.clear();
            in_word = false;
            continue;
        } else {
            word += c;
        }
        in_word = true;
    }
    if (in_word)
        words.push_back(word);
    return quote;
}

// One line of input: fetch REMOTE-PATH into LOCAL-NAME (below).
Outcome get_one(int sockfd, const std::string &remote, std::string local);

// The words of one line checked: a request, or a message and false.
bool parse_request(const std::string &line, std::vector<std::string> &words)
{
    if (char open = split_words(line, words); open != '\0') {
        err_msg("ftcli02: a %c is not closed: %s", open, line.c_str());
        return false;
    }
    if (!words.empty() && words[0].empty()) {
        err_msg("ftcli02: %s names no file", words.size() > 1 ? "an empty REMOTE-PATH" : "\"\"");
        return false;
    }
    if (words.size() > 2) {
        err_msg("ftcli02: expected REMOTE-PATH [LOCAL-NAME], got %zu words"
                " (quote a name with blanks: 'my notes.txt')", words.size());
        return false;
    }
    return true;
}

int session(int sockfd)
{
    int failures = 0;
    bool prompt = isatty(STDIN_FILENO);
    if (prompt)
        printf("Type REMOTE-PATH [LOCAL-NAME]; an empty line or Ctrl-D ends.\n");
    std::string line;
    for (;;) {
        if (prompt) {
            printf("ftcli02> ");
            fflush(stdout);
        }
        if (!std::getline(std::cin, line)) {
            if (prompt)
                printf("\n");  // Ctrl-D: the shell's prompt on a line of its own
            break;
        }
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        std::vector<std::string> words;
        if (!parse_request(line, words)) {
            failures++;
            continue;
        }
        if (words.empty())
            break;  // an empty line: done
        Outcome out = get_one(sockfd, words[0], words.size() > 1 ? words[1] : "");
        if (out == kBroken)
            exit(1);
        if (out == kRefused)
            failures++;
    }
    return failures == 0 ? 0 : 1;
}

std::string base_name(std::string path)
{
    while (path.size() > 1 && path.back() == '/')
        path.pop_back();
    std::size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// A name as messages show it: a very long one elided in the middle, so
// the reason after it still fits on the line.
std::string shown(const std::string &name)
{
    if (name.size() <= 120)
        return name;
    return name.substr(0, 56) + "...(" + std::to_string(name.size()) + " bytes)..." + name.substr(name.size() - 40);
}

// Reads and prints the server's reason for a refusal.
Outcome report_refusal(int sockfd, const std::string &remote, std::uint64_t len)
{
    if (len > ft::kMaxReason) {
        err_msg("ftcli02: %s: malformed reply (a reason of %llu bytes)", shown(remote).c_str(),
                static_cast<unsigned long long>(len));
        return kBroken;
    }
    std::string reason(len, '\0');
    ssize_t n = readn(sockfd, reason.data(), len);
    if (n != static_cast<ssize_t>(len)) {
        err_msg("ftcli02: %s: %s", shown(remote).c_str(),
                n < 0 ? why(errno).c_str() : "the server closed the connection");
        return kBroken;
    }
    char text[4 * ft::kMaxReason + 1];  // the server's words, escaped: it is not our text
    err_msg("ftcli02: %s: %s", shown(remote).c_str(), printable(text, sizeof text, reason.data(), len));
    return kRefused;
}

// The pipe splice(2) moves the file through, socket -> pipe -> file, inside
// the kernel: the bytes are never copied into this program, which halves
// the CPU time a read()/write() loop spends on a large file
// (bench/filetransfer).  One for the whole session, closed at exit.
struct SplicePipe {
    unp::Fd in, out;       // read end, write end
    std::size_t chunk = 1 << 16;  // the default pipe size
    SplicePipe()
    {
        int fds[2];
        if (pipe(fds) < 0)
            err_sys("pipe error");
        in.reset(fds[0]);
        out.reset(fds[1]);
        int sz = fcntl(fds[1], F_SETPIPE_SZ, 1 << 20);  // larger moves, fewer calls
        if (sz > 0)
            chunk = static_cast<std::size_t>(sz);
    }
};

// The file's size bytes from the socket into part (below).
Outcome receive(int sockfd, const ft::PartFile &part, std::uint64_t size, ft::Progress &bar,
                const std::string &remote, const std::string &local);

// One request and its answer, the bytes into part (open, empty).
Outcome fetch(int sockfd, const ft::PartFile &part, const std::string &remote, const std::string &local)
{
    unsigned char reply[ft::kReplyHeader];
    ssize_t n;

    // Length and path in one write (see FTClient.cpp: Nagle and delayed ACKs).
    std::string request(ft::kRequestHeader, '\0');
    ft::put_u32(reinterpret_cast<unsigned char *>(request.data()), static_cast<std::uint32_t>(remote.size()));
    request += remote;
    //@blank-begin (k) write(): the request, its 4-byte length then the path, in one writen
    if (writen(sockfd, request.data(), request.size()) != static_cast<ssize_t>(request.size())) {
        err_ret("ftcli02: %s: cannot send the request", shown(remote).c_str());
        return kBroken;
    }
    //@blank-end

    //@blank-begin (l) read(): the 9-byte reply header, with readn
    n = readn(sockfd, reply, sizeof reply);
    //@blank-end
    if (n != sizeof reply) {
        if (n < 0)
            err_msg("ftcli02: %s: no reply: %s", shown(remote).c_str(), why(errno).c_str());
        else
            err_msg("ftcli02: %s: the server closed the connection without answering", shown(remote).c_str());
        return kBroken;
    }
    std::uint64_t size = ft::get_u64(reply + 1);
    if (reply[0] != ft::kOk)
        return report_refusal(sockfd, remote, size);

    ft::Progress bar(local, size, isatty(STDERR_FILENO));
    return receive(sockfd, part, size, bar, remote, local);
}

// The file's size bytes from the socket into part.  The bar is redrawn
// after each move, and after a signal (SIGWINCH: the terminal was resized).
Outcome receive(int sockfd, const ft::PartFile &part, std::uint64_t size, ft::Progress &bar,
                const std::string &remote, const std::string &local)
{
    static SplicePipe p;
    std::uint64_t got = 0;
    ssize_t n;
    while (got < size) {
        std::size_t want = size - got < p.chunk ? size - got : p.chunk;
        n = splice(sockfd, nullptr, p.out.get(), nullptr, want, SPLICE_F_MOVE);  //@blank (m) splice(): up to want bytes from the socket into the pipe
        if (n < 0 && errno == EINTR) {
            bar.update(got);
            continue;
        }
        if (n <= 0) {  // 0: the server closed before size bytes
            bar.abandon();
            err_msg("ftcli02: %s: transfer broken after %llu of %llu bytes: %s; %s not written",
                    shown(remote).c_str(), static_cast<unsigned long long>(got),
                    static_cast<unsigned long long>(size),
                    n < 0 ? why(errno).c_str() : "the server closed the connection", shown(local).c_str());
            return kBroken;
        }
        for (ssize_t left = n; left > 0;) {
            ssize_t m;  // declared apart: the blank below must not hold it
            m = splice(p.in.get(), nullptr, part.fd(), nullptr, left, SPLICE_F_MOVE);  //@blank (n) splice(): what the pipe holds into the temporary file
            if (m < 0 && errno == EINTR)
                continue;
            if (m <= 0) {
                bar.abandon();
                // The rest of the file is still on its way: the connection
                // cannot carry another request, so the session ends.
                err_ret("ftcli02: %s: write error", part.path());
                return kBroken;
            }
            left -= m;
        }
        got += static_cast<std::uint64_t>(n);
        bar.update(got);
    }
    bar.finish();
    return kDone;
}

// LOCAL-NAME as a path: the remote base name when it is empty or a
// directory; "" (after a message) when the remote path has no base name.
std::string local_path(const std::string &remote, const std::string &local)
{
    struct stat st;
    bool into_dir = local.empty() || (local != "/" && local.back() == '/') ||
                    (stat(local.c_str(), &st) == 0 && S_ISDIR(st.st_mode));
    if (!into_dir)
        return local;
    std::string base = base_name(remote);
    if (base.empty() || base == "." || base == ".." || base == "/") {
        err_msg("ftcli02: %s: name a local file for it: REMOTE-PATH LOCAL-NAME", shown(remote).c_str());
        return "";
    }
    return local.empty() ? base : local + (local.back() == '/' ? "" : "/") + base;
}

// One line of input: fetch REMOTE-PATH into LOCAL-NAME.
Outcome get_one(int sockfd, const std::string &remote, std::string local)
{
    if ((local = local_path(remote, local)).empty())
        return kRefused;
    if (!force && access(local.c_str(), F_OK) == 0) {
        err_msg("ftcli02: %s: file exists (use -f to overwrite)", shown(local).c_str());
        return kRefused;
    }
    ft::PartFile part;
    if (!part.create(local)) {
        std::string dir = ft::dir_name(local);
        if (errno == ENOENT || errno == ENOTDIR)
            err_msg("ftcli02: %s: %s: %s", shown(local).c_str(),
                    errno == ENOENT ? "no such directory" : "not a directory", shown(dir).c_str());
        else
            err_ret("ftcli02: %s: cannot create a file in %s", shown(local).c_str(), shown(dir).c_str());
        return kRefused;
    }
    Outcome out = fetch(sockfd, part, remote, local);
    if (out != kDone)
        return out;  // part removes its temporary file
    if (!part.commit(force)) {
        if (errno == EEXIST)
            err_msg("ftcli02: %s: file exists (use -f to overwrite)", shown(local).c_str());
        else
            err_ret("ftcli02: %s", shown(local).c_str());
        return kRefused;
    }
    return out;
}

}  // namespace
