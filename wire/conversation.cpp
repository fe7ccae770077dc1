// SPDX-License-Identifier: MIT
// conversation.cpp - from segments to connections and notes.
//
// Every note is derived from the segments alone.  The rules, in the order a
// connection lives:
//   SYN without ACK            handshake 1/3, the client's connect()
//   SYN+ACK                    handshake 2/3, the server's kernel (listen(), no accept() yet)
//   ACK of the SYN+ACK         handshake 3/3, connect() returns; queued for accept()
//   payload                    data, with a preview
//   first FIN                  that side closed first: close(), shutdown(SHUT_WR) or exit
//   data after a FIN, ACKed    the FIN was shutdown(SHUT_WR): that side still reads
//   data after a FIN, RST      the FIN was close(): the socket is gone
//   RST without FIN            close() with unread data, or SO_LINGER {1, 0}
//   RST answering a SYN        nothing listens on that port: ECONNREFUSED
#include "conversation.hpp"

#include <netinet/tcp.h>

#include <algorithm>

namespace wire {

namespace {

std::string num(uint64_t v) { return std::to_string(v); }

std::string endpoint(const Side &s) { return s.addr + "." + num(s.port); }

}  // namespace

std::optional<uint8_t> Side::shift() const
{
    if (!wscale)
        return std::nullopt;
    return std::min<uint8_t>(*wscale, TCP_MAX_WINSHIFT);
}

const char *role_name(int role) { return role == client ? "client" : "server"; }

std::string preview(const Segment &s, size_t max)
{
    std::string out = "\"";
    size_t shown = 0;
    for (uint8_t b : s.payload) {
        if (shown == max)
            break;
        switch (b) {
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '"':  out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        default:   out += (b >= 0x20 && b < 0x7f) ? static_cast<char>(b) : '.'; break;
        }
        ++shown;
    }
    out += "\"";
    if (shown < s.length)
        out += "...";
    return out;
}

bool Connection::finished() const
{
    if (reset_by >= 0)
        return true;
    return side[client].fin && side[server].fin && side[client].fin_acked && side[server].fin_acked;
}

const Connection *Tracker::find(int id) const
{
    // Ids are 1, 2, ... in the order the connections were seen.
    if (id < 1 || static_cast<size_t>(id) > connections_.size())
        return nullptr;
    return &connections_[static_cast<size_t>(id) - 1];
}

bool Tracker::all_finished() const
{
    if (connections_.empty())
        return false;
    for (const auto &c : connections_)
        if (!c.finished())
            return false;
    return true;
}

Connection &Tracker::connection_for(const Segment &s)
{
    bool opening = s.has(flag_syn) && !s.has(flag_ack);
    // One key for both directions: the two endpoints in a fixed order.
    std::string a = s.src + "." + num(s.sport), b = s.dst + "." + num(s.dport);
    std::string key = a < b ? a + " " + b : b + " " + a;
    auto found = latest_.find(key);
    if (found != latest_.end()) {
        Connection &c = connections_[found->second];
        // The same four numbers again after the connection ended: the client
        // reused its port for a new connection.
        bool reused = opening && c.finished() &&
                      !(c.side[client].isn_known && c.side[client].isn == s.seq);
        if (!reused)
            return c;
    }
    latest_[key] = connections_.size();

    Connection c;
    c.id = static_cast<int>(connections_.size()) + 1;
    bool src_is_client;
    if (opening)
        src_is_client = true;
    else if (s.has(flag_syn))
        src_is_client = false;  // SYN+ACK comes from the server
    else if (server_port_ >= 0 && s.dport == server_port_)
        src_is_client = true;
    else if (server_port_ >= 0 && s.sport == server_port_)
        src_is_client = false;
    else {
        // No handshake seen: servers usually have the lower (well-known or
        // chosen) port, clients an ephemeral one.
        src_is_client = s.sport > s.dport;
        c.roles_guessed = true;
    }
    Side &cl = c.side[client], &sv = c.side[server];
    cl.addr = src_is_client ? s.src : s.dst;
    cl.port = src_is_client ? s.sport : s.dport;
    sv.addr = src_is_client ? s.dst : s.src;
    sv.port = src_is_client ? s.dport : s.sport;
    connections_.push_back(std::move(c));
    return connections_.back();
}

std::string Tracker::reset_cause(const Connection &c, int from) const
{
    const Side &S = c.side[from], &P = c.side[1 - from];
    std::string who = role_name(from), peer = role_name(1 - from);
    if (c.stage == 1 && from == server)
        return "nothing listens on " + endpoint(S) + ": the client's connect() fails with ECONNREFUSED";
    if (S.fin && S.data_after_own_fin)
        return "data arrived after the " + who + "'s close(): its socket is gone, so its kernel "
               "answers with RST (the " + peer + "'s next read gets ECONNRESET)";
    if (!S.fin && P.bytes > 0 && P.last_data_number > S.last_data_number)
        return "the " + who + " called close() with unread data in its receive buffer, "
               "so its kernel sends RST instead of FIN (the " + peer + " gets ECONNRESET)";
    if (!S.fin)
        return "abortive close by the " + who + ": SO_LINGER {1, 0} makes close() send RST and drop "
               "what was unsent (or close() with unread data)";
    return "the " + who + " had already closed; the " + peer + "'s segment reached a socket "
           "that no longer exists";
}

Annotated Tracker::add(const Segment &s)
{
    count_ = s.number ? s.number : count_ + 1;
    if (!origin_set_)
        set_origin(s.time_us);
    Connection &c = connection_for(s);
    int from = (s.src == c.side[client].addr && s.sport == c.side[client].port) ? client : server;
    Side &S = c.side[from], &P = c.side[1 - from];
    std::string who = role_name(from), peer = role_name(1 - from);
    const bool syn = s.has(flag_syn), ack = s.has(flag_ack), fin = s.has(flag_fin),
               rst = s.has(flag_rst);
    const uint32_t len = s.length;

    // Relative numbers start at the SYN.  Without a SYN, the first byte seen
    // is called 1 (a bare RST is called 0, as an answer to a SYN is).
    if (syn && !S.sent_any) {
        S.isn = s.seq;
        S.isn_known = true;
        S.syn_seen = true;
        S.mss = s.mss();
        S.wscale = s.wscale();
        for (const auto &o : s.options) {
            S.sack_ok = S.sack_ok || o.kind == TCPOPT_SACK_PERMITTED;
            S.timestamps = S.timestamps || o.kind == TCPOPT_TIMESTAMP;
        }
    } else if (!S.isn_known) {
        S.isn = (rst && len == 0) ? s.seq : s.seq - 1;
        S.isn_known = true;
    }
    if (ack && !P.isn_known) {
        P.isn = s.ack - 1;
        P.isn_known = true;
    }

    Annotated a;
    a.connection = c.id;
    a.from = from;
    a.number = count_;
    a.rel_seq = s.seq - S.isn;
    a.rel_ack = ack ? s.ack - P.isn : 0;

    const uint32_t end = s.seq + s.seq_space();
    a.retransmission = s.seq_space() > 0 && S.sent_any && !seq_after(end, S.next_seq);
    if (!S.sent_any || seq_after(end, S.next_seq))
        S.next_seq = end;
    S.sent_any = true;
    ++S.segments;
    if (a.retransmission) {
        ++S.retransmissions;
    } else if (len > 0) {
        S.bytes += len;
        S.last_data_number = count_;
        if (P.fin)
            P.data_after_own_fin = true;
    }

    const bool had_ack = S.acked_any;
    const uint32_t prev_ack = S.last_ack;
    const bool new_ack = ack && (!had_ack || seq_after(s.ack, prev_ack));
    if (new_ack) {
        S.last_ack = s.ack;
        S.acked_any = true;
    }
    const bool window_changed = S.window_known && s.window != S.last_window;
    S.window_known = true;
    S.last_window = s.window;

    std::string note;
    auto add = [&note](const std::string &part) {
        if (!note.empty())
            note += "; ";
        note += part;
    };

    if (rst) {
        std::string cause = reset_cause(c, from);
        add("RST from the " + who + ": " + cause);
        S.rst = true;
        if (c.reset_by < 0) {
            c.reset_by = from;
            c.reset_cause = cause;
        }
    } else if (syn && !ack) {
        if (a.retransmission) {
            add("SYN sent again: no answer yet (the server's listen backlog may be full)");
        } else {
            add("handshake 1/3: SYN, the client's connect(); its sequence numbers start here "
                "(relative 0)");
            c.stage = 1;
            c.open_number = count_;
            c.open_time_us = s.time_us;
        }
    } else if (syn) {
        if (a.retransmission) {
            add("SYN+ACK sent again (retransmission)");
        } else {
            add("handshake 2/3: SYN+ACK, answered by the server's kernel for the listen()ing "
                "socket (no accept() needed)");
            if (c.stage < 2)
                c.stage = 2;
        }
    } else {
        bool handshake_done = false;
        if (c.stage == 2 && from == client && ack && s.ack == P.isn + 1) {
            add("handshake 3/3: connect() returns; the server's kernel puts the connection in "
                "the listen backlog, where accept() will find it");
            c.stage = 3;
            handshake_done = true;
        }
        if (len > 0) {
            std::string d = "data: " + num(len) + " bytes written by the " + who;
            if (a.retransmission)
                d += ", sent again (retransmission)";
            d += ": " + preview(s);
            if (P.fin && !a.retransmission)
                d += " (after the " + peer + "'s FIN: it reads this only if it used "
                     "shutdown(SHUT_WR))";
            add(d);
        }
        const bool had_fin = S.fin;
        const bool acks_peer_fin = ack && P.fin && !P.fin_acked && !seq_after(P.fin_seq + 1, s.ack);
        if (acks_peer_fin)
            P.fin_acked = true;
        if (fin) {
            if (a.retransmission) {
                add("FIN sent again (retransmission)");
            } else if (!P.fin) {
                add("FIN from the " + who + ": it closed first (close(), shutdown(SHUT_WR) or "
                    "exit); the FIN takes one sequence number");
                c.first_closer = from;
            } else {
                add("FIN from the " + who + ": it closes its side too" +
                    (acks_peer_fin ? ", and acknowledges the " + peer + "'s FIN" : std::string()));
            }
            if (!a.retransmission) {
                S.fin = true;
                S.fin_seq = s.seq + len;
                S.fin_number = count_;
            }
        }
        // What the acknowledgement says, for segments that carry nothing else.
        if (acks_peer_fin && !fin) {
            if (had_fin)
                add("ACK of the " + peer + "'s FIN: both directions are closed; the " +
                    role_name(c.first_closer >= 0 ? c.first_closer : from) +
                    ", which closed first, waits in TIME_WAIT");
            else
                add("ACK of the " + peer + "'s FIN: the " + who + "'s read() will return 0 "
                    "(end of file)");
        } else if (len == 0 && !fin && !handshake_done) {
            if (new_ack && had_ack) {
                add("ACK: the " + who + " has received the " + peer + "'s bytes " +
                    num(prev_ack - P.isn) + "-" + num(s.ack - P.isn - 1));
            } else if (new_ack) {
                add("ACK up to the " + peer + "'s byte " + num(s.ack - P.isn - 1));
            } else if (s.window != 0 && window_changed) {
                add("window update: the " + who + "'s application read from its buffer");
            } else if (s.window != 0) {
                add("duplicate ACK: nothing new acknowledged");
            }
        }
        if (new_ack && had_fin && S.data_after_own_fin && !S.half_closed) {
            S.half_closed = true;
            add("the " + who + " acknowledges data sent after its own FIN: that FIN was "
                "shutdown(SHUT_WR), not close(), and the " + who + " still reads");
        }
        if (ack && s.window == 0)
            add("window 0: the " + who + "'s receive buffer is full (its application is not "
                "reading)");
    }
    if (syn && !rst && S.wscale && *S.wscale > TCP_MAX_WINSHIFT)
        add("wscale " + num(*S.wscale) + " is more than RFC 7323's maximum of " +
            num(TCP_MAX_WINSHIFT) + ": taken as " + num(TCP_MAX_WINSHIFT));
    a.note = note;

    TableRow row;
    row.number = count_;
    row.from = from;
    row.seq = a.rel_seq;
    row.length = len;
    for (int r : {client, server}) {
        const Side &x = c.side[r], &y = c.side[1 - r];
        row.next_seq[r] = x.sent_any ? x.next_seq - x.isn : 0;
        if (x.acked_any)
            row.ack[r] = x.last_ack - y.isn;
    }
    row.flags = flags_text(s.flags);
    c.table.push_back(row);
    return a;
}

}  // namespace wire
