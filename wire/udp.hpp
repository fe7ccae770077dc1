// SPDX-License-Identifier: MIT
// udp.hpp - UDP datagrams and ICMP messages as tcpview prints them, for
// the UDP labs: ports, length, a preview, and what an ICMP error turns
// into at the socket (port unreachable: ECONNREFUSED on a connected UDP
// socket, nothing on an unconnected one).
#ifndef WIRE_UDP_HPP
#define WIRE_UDP_HPP

#include "segment.hpp"

#include <string>

namespace wire {

// "  5 0.000400 127.0.0.1.40001 > 127.0.0.1.9: UDP, length 1  | datagram: ..."
// (time is the text of the capture time, as the TCP lines show it).
std::string format_datagram(const Datagram &d, const std::string &time);
// "  6 0.000401 127.0.0.1 > 127.0.0.1: ICMP 127.0.0.1 udp port 9 unreachable  | ..."
std::string format_icmp(const Icmp &m, const std::string &time);

}  // namespace wire

#endif  // WIRE_UDP_HPP
