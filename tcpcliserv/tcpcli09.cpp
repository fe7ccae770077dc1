// SPDX-License-Identifier: MIT
// tcpcli09 - the client for tcpserv09: reads "a b" lines from standard
// input, sends the two integers in binary (sum09.h) and prints the sum.
//
// usage: tcpcli09 <IPaddress> [port]      (default 9877)
//
// Observe: each value must fit in 32 bits (-2147483648..2147483647); a
// line that is not two such integers gets "input error" here and is not
// sent.  `tcpdump -i lo -X port <port>` shows 8 bytes each way, most
// significant byte first.
#include "unp.h"
#include "sum09.h"

#include <charconv>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

namespace {

// "a b" as two 32-bit integers, or nullopt.
std::optional<SumArgs> parse_args(std::string_view line)
{
    auto skip_blanks = [&line] {
        while (!line.empty() && (line.front() == ' ' || line.front() == '\t' || line.front() == '\r'))
            line.remove_prefix(1);
    };
    int32_t arg[2];
    for (int32_t &a : arg) {
        skip_blanks();
        auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), a);
        if (ec != std::errc())
            return std::nullopt;
        line.remove_prefix(static_cast<size_t>(end - line.data()));
    }
    skip_blanks();
    if (!line.empty())
        return std::nullopt;
    return SumArgs{arg[0], arg[1]};
}

}  // namespace

int main(int argc, char **argv)
{
    int sockfd;
    struct sockaddr_in servaddr;

    check_usage(argc, argv, argc == 2 || argc == 3, "usage: tcpcli09 <IPaddress> [port]");
    int port = argc == 3 ? Parse_server_port(argv[2]) : SERV_PORT;

    sockfd = Socket(AF_INET, SOCK_STREAM, 0);

    bzero(&servaddr, sizeof servaddr);
    servaddr.sin_family = AF_INET;
    servaddr.sin_port = htons(port);
    Inet_pton(AF_INET, argv[1], &servaddr.sin_addr);

    Connect(sockfd, (SA *) &servaddr, sizeof servaddr);

    std::string line;
    while (std::getline(std::cin, line)) {
        std::optional<SumArgs> args = parse_args(line);
        if (!args) {
            printf("input error\n");
            fflush(stdout);
            continue;
        }
        SumRequest req = encode_args(*args);
        Writen(sockfd, req.data(), req.size());

        SumReply reply;
        if (Readn(sockfd, reply.data(), reply.size()) != static_cast<ssize_t>(reply.size()))
            err_quit("str_cli: server terminated prematurely");
        printf("%lld\n", static_cast<long long>(decode_sum(reply)));
        fflush(stdout);
    }

    exit(0);
}
