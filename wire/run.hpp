// SPDX-License-Identifier: MIT
// run.hpp - tcpview --run: start a server, wait for its "listening on
// <addr>, port <n>" line, start the client with {port} replaced, and show
// exactly their conversation (the capture is filtered on that port).
#ifndef WIRE_RUN_HPP
#define WIRE_RUN_HPP

#include "capture.hpp"
#include "view.hpp"

#include <csignal>
#include <ostream>
#include <string>

namespace wire {

struct RunOptions {
    std::string server_command;
    std::string client_command;  // "{port}" is replaced by the server's port
    std::string filter;          // extra filter expression, "" for none
    double startup_seconds = 10; // for the server's "listening on" line
    double drain_seconds = 10;   // after the client exits, for the connection to close
    ViewOptions view;
};

// "{port}" in command replaced by port, everywhere.
std::string substitute_port(std::string command, int port);

// Runs the pair while capture (live, already active) records, printing the
// programs' output prefixed with [server] and [client], each segment as it
// arrives, and the summary.  Stops early when stop becomes non-zero
// (Ctrl-C).  Returns tcpview's exit status: 0 when the conversation was
// shown, 1 if the server never said its port.
int run_pair(Capture &capture, const RunOptions &options, std::ostream &out,
             const volatile std::sig_atomic_t &stop);

}  // namespace wire

#endif  // WIRE_RUN_HPP
