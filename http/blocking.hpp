// SPDX-License-Identifier: MIT
// blocking.hpp - serving one connection with blocking calls, the way
// httpserv01 (one connection at a time) and httpserv02 (a child per
// connection) both do it:
//
//   poll()+read()   until the request head is complete, or the timeout;
//   site.respond()  what to answer;
//   send()          the head (MSG_MORE: the body follows in the same segment);
//   sendfile()      the file, from the page cache to the socket;
//   ...again while the connection is kept alive (httpserv02 only).
//
// The timeout (-t, 10 s by default) bounds the whole head of each request,
// not each read: a client trickling one byte a second (slowloris) is cut
// off as surely as one that sends nothing.  A client that sent part of a
// request, or nothing at all on a new connection, gets 408 Request Timeout;
// an idle kept-alive connection is closed without a word (RFC 9112 9.5).
// The same timeout bounds each write (SO_SNDTIMEO): a client that stops
// reading cannot hold a process forever either.
#ifndef HTTP_BLOCKING_HPP
#define HTTP_BLOCKING_HPP

#include "site.hpp"

#include <sys/socket.h>

#include <string>

namespace http {

// The command line every server takes: [-d DIR] [-t SECONDS] [port].
struct ServerArgs {
    std::string dir = ".";
    int timeout = 10;  // seconds
    int port = 0;
};

// Parses argv; prints usage and exits (0 for -h/--help, 1 for wrong
// arguments).
ServerArgs parse_args(int argc, char **argv, const char *usage);

// Site(args.dir, persistent), or exits naming the failing call.
Site open_site(const char *prog, const ServerArgs &args, bool persistent);

// Serves connfd's requests until it is done (see above); logs one line per
// request on stdout.  Does not close connfd.
void serve_connection(int connfd, const Site &site, const sockaddr *peer, socklen_t peerlen, int timeout);

// After an answer that ends the connection: send our FIN, then read and
// drop what the client still sends (at most 1 s), so that closing with
// unread data does not reset the connection and destroy the answer before
// the client has read it.
void lingering_close(int connfd);

}  // namespace http

#endif  // HTTP_BLOCKING_HPP
