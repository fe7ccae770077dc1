// SPDX-License-Identifier: MIT
// LotteryClient - the lab's Lottery client (Practice 3).  Asks for a
// command, sends it to the LotteryServer, prints the answer, until END.
//
// usage: LotteryClient [-t SECONDS] <IPaddress> [port]   (port default 9877)
//
//   Command (0:GEN 1:LIST 2:END): 0
//   New number generated: 32
//   Command (0:GEN 1:LIST 2:END): 1
//   numbers: 32 0 0 0 0 0
//   Command (0:GEN 1:LIST 2:END): 2
//
// The wire (README.md): the command goes as a 4-byte integer in network
// byte order; the answer comes back as one line ending in '\n'.
//
// Fixed from the handout: scanf("%d") looped for ever on a letter and sent
// whatever it last held; here anything but 0, 1 or 2 asks again, and end of
// input (Ctrl-D) sends END and ends cleanly.  One read() may return part of
// an answer, or two; Readline returns exactly one line.  A server that went
// away is reported, and the exit status is non-zero.  One that accepts and
// never answers is given SECONDS (default 30; 0: for ever) per answer, then
// "no answer from the server in 30 s"; one whose answer does not end in
// '\n' within 3 s of its first byte (the handout's server sends none) is
// told what came and that the protocol wants a '\n'.  The answer is
// printed with control characters escaped: it is the server's text, not ours, and a hostile
// server's escape sequences must not reach the terminal.
#include "lottery.h"
#include "unp.h"

#include <poll.h>

#include <string_view>

// Prompts until the user types 0, 1 or 2 and returns it; END at end of
// input, so the server is told the session is over.
static int32_t read_command(FILE *fp)
{
    char line[MAXLINE];
    for (;;) {
        printf("Command (0:GEN 1:LIST 2:END): ");
        fflush(stdout);  // the prompt has no '\n': show it before we wait
        if (Fgets(line, sizeof(line), fp) == nullptr) {
            printf("\n");  // Ctrl-D: the shell's prompt on a line of its own
            return END;
        }
        std::string_view text(line);
        if (!text.empty() && text.back() != '\n' && !feof(fp)) {
            // Longer than the buffer: drop the rest of it, it is no command.
            int c;
            while ((c = getc(fp)) != EOF && c != '\n') {
            }
            text = "?";
        }
        const auto first = text.find_first_not_of(" \t\r\n");
        if (first == std::string_view::npos)
            continue;  // an empty line: just ask again
        text = text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
        if (text == "0" || text == "1" || text == "2")
            return text[0] - '0';
        printf("please type 0, 1 or 2\n");
    }
}

// Seconds an answer that has begun may take to reach its '\n'.
static const int kLineSeconds = 3;

// An answer that began but has no '\n' after kLineSeconds: the server
// frames its answers another way (the handout's LotteryServer.c writes the
// text alone, with no '\n'), and readline would wait for ever.  Says so.
[[noreturn]] static void no_newline(const char *sofar)
{
    char shown[4 * MAXLINE];
    err_quit("LotteryClient: the server's answer \"%s\" (%zu bytes) has no '\\n' after %d s.\n"
             "This client reads one line per answer, as the lab's protocol says (README.md: each\n"
             "answer is one text line ending in '\\n'); a server that writes the text alone, as the\n"
             "handout's LotteryServer.c does, must end each answer with '\\n'.",
             printable(shown, sizeof shown, sofar, strlen(sofar)), strlen(sofar), kLineSeconds);
}

int main(int argc, char **argv)
{
    int sockfd;
    struct sockaddr_in servaddr;
    char recvline[MAXLINE], shown[4 * MAXLINE];
    long timeout = 30;  // seconds to wait for an answer
    int c;
    ssize_t n;

    check_usage(argc, argv, true,  // -h/--help before getopt sees them
                "usage: LotteryClient [-t SECONDS] <IPaddress> [port]");
    while ((c = getopt(argc, argv, "t:")) != -1) {
        char *end = nullptr;
        if (c == 't')
            timeout = strtol(optarg, &end, 10);
        if (c != 't' || *optarg == '\0' || *end != '\0' || timeout < 0 || timeout > 86400)
            err_quit("usage: LotteryClient [-t SECONDS] <IPaddress> [port]");
    }
    argc -= optind - 1;
    argv += optind - 1;  // argv[1], argv[2] as without options
    if (argc != 2 && argc != 3)
        err_quit("usage: LotteryClient [-t SECONDS] <IPaddress> [port]");

    sockfd = Socket(AF_INET, SOCK_STREAM, 0);                      //@blank (g) socket()

    bzero(&servaddr, sizeof(servaddr));
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(argc == 3 ? Parse_server_port(argv[2]) : SERV_PORT);
    // inet_pton, not the handout's inet_addr: a typo is reported, instead of
    // becoming 255.255.255.255.
    Inet_pton(AF_INET, argv[1], &servaddr.sin_addr);

    Connect(sockfd, (SA *) &servaddr, sizeof(servaddr));            //@blank (h) connect()

    // An answer that has begun must end in '\n' soon: each read() inside
    // readline waits at most kLineSeconds, then fails with EAGAIN.
    struct timeval tv = {kLineSeconds, 0};
    Setsockopt(sockfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));

    // A server that went away must be reported, not kill us silently: with
    // SIGPIPE ignored, writing to it fails with EPIPE and Writen says so.
    Signal(SIGPIPE, SIG_IGN);

    for (;;) {
        int32_t cmd = read_command(stdin);

        //@blank-begin (i) write(): the command, 4 bytes in network byte order
        uint32_t wire = htonl((uint32_t) cmd);
        Writen(sockfd, &wire, sizeof(wire));
        //@blank-end

        if (cmd == END)
            break;

        // A server that accepts and never answers must not hold us for
        // ever: wait at most `timeout` seconds for the answer to start.
        struct pollfd pfd = {sockfd, POLLIN, 0};
        int ready = poll(&pfd, 1, timeout > 0 ? (int) timeout * 1000 : -1);
        if (ready < 0)
            err_sys("poll error");
        if (ready == 0)
            err_quit("LotteryClient: no answer from the server in %ld s (-t SECONDS to wait longer)", timeout);

        bzero(recvline, sizeof(recvline));  // what came, should the line never end
        //@blank-begin (j) read(): the answer, one line, with readline (-1 and EAGAIN: SO_RCVTIMEO expired)
        n = readline(sockfd, recvline, sizeof(recvline));
        //@blank-end
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            no_newline(recvline);
        if (n < 0)
            err_sys("readline error");
        if (n == 0)
            err_quit("LotteryClient: server terminated prematurely");

        recvline[strcspn(recvline, "\n")] = '\0';  // the line, escaped, then our own '\n'
        printf("%s\n", printable(shown, sizeof shown, recvline, strlen(recvline)));
    }
    Close(sockfd);
    return 0;
}
