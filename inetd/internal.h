// SPDX-License-Identifier: MIT
// tinyinetd's built-in ("internal") services, the small RFC services every
// inetd answers itself: echo (RFC 862), discard (863), chargen (864),
// daytime (867) and time (868), over TCP and UDP.
#ifndef TINYINETD_INTERNAL_H
#define TINYINETD_INTERNAL_H

#include "unp.h"

#include <string>

struct Internal {
    const char *name;
    // Serves one TCP connection until it is done (or the client goes).
    void (*stream)(int connfd);
    // Answers one datagram, received from (cliaddr, len).
    void (*dgram)(int sockfd, const SA *cliaddr, socklen_t len, const char *req, size_t n);
    // True where a TCP client may keep the service busy for long (echo,
    // discard, chargen): inetd forks a child for those, and answers
    // daytime and time itself, in one write.
    bool forks;
};

// The built-in service of that name, or nullptr.
const Internal *find_internal(const std::string &name);

#endif  // TINYINETD_INTERNAL_H
