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
//   FIN not acking the first   a simultaneous close: neither closed first
//   data after a FIN, ACKed    the FIN was shutdown(SHUT_WR): that side still reads
//   data after a FIN, RST      the FIN was close(): the socket is gone
//   RST without FIN            close() with unread data, or SO_LINGER {1, 0}
//   RST answering a SYN        nothing listens on that port: ECONNREFUSED
//   pure ACK                   what it acknowledges; window update (after data was read
//                              or not); duplicate ACK; window 0
//   wscale above 14            taken as 14 (RFC 7323)
#include "conversation.hpp"

#include <netinet/tcp.h>

#include <algorithm>

namespace wire {

namespace {

std::string endpoint(const Side &s) { return wire::endpoint(s.addr, s.port); }

}  // namespace

std::optional<uint8_t> Side::shift() const
{
    if (!wscale)
        return std::nullopt;
    return std::min<uint8_t>(*wscale, TCP_MAX_WINSHIFT);
}

const char *role_name(int role) { return role == client ? "client" : "server"; }

std::string preview(const Segment &s, size_t max) { return preview(s.payload, s.length, max); }

std::string preview(std::span<const uint8_t> payload, uint32_t length, size_t max)
{
    std::string out = "\"";
    size_t shown = 0;
    for (uint8_t b : payload) {
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
    if (shown < length)
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

std::string reset_text(ResetKind kind, int from, const std::string &endpoint)
{
    std::string who = role_name(from), peer = role_name(1 - from);
    switch (kind) {
    case ResetKind::refused:
        return "nothing listens on " + endpoint + ": the client's connect() fails with ECONNREFUSED";
    case ResetKind::data_after_close:
        return "data arrived after the " + who + "'s close(): its socket is gone, so its kernel "
               "answers with RST (the " + peer + "'s next read gets ECONNRESET)";
    case ResetKind::unread_data:
        return "the " + who + " called close() with unread data in its receive buffer, "
               "so its kernel sends RST instead of FIN (the " + peer + " gets ECONNRESET)";
    case ResetKind::abortive:
        return "abortive close by the " + who + ": SO_LINGER {1, 0} makes close() send RST and drop "
               "what was unsent (or close() with unread data)";
    case ResetKind::after_close:
    case ResetKind::none:
        break;
    }
    return "the " + who + " had already closed; the " + peer + "'s segment reached a socket "
           "that no longer exists";
}

namespace {

ResetKind reset_kind(const Connection &c, int from)
{
    const Side &S = c.side[from], &P = c.side[1 - from];
    if (c.stage == 1 && from == server)
        return ResetKind::refused;
    if (S.fin && S.data_after_own_fin)
        return ResetKind::data_after_close;
    if (!S.fin && P.bytes > 0 && P.last_data_number > S.last_data_number)
        return ResetKind::unread_data;
    if (!S.fin)
        return ResetKind::abortive;
    return ResetKind::after_close;
}

// One segment on its way through the rules: the connection, the sides,
// what the counting found, and the note being written.
struct Step {
    Connection &c;
    const Segment &s;
    int from;
    Side &S, &P;
    Annotated &a;
    uint64_t number;
    std::string who, peer;
    bool syn, ack, fin, rst;
    bool had_ack = false, new_ack = false, window_changed = false;
    uint32_t prev_ack = 0;
    bool handshake_done = false, had_fin = false, acks_peer_fin = false;
    bool keep_streams = false;

    void note(const std::string &part)
    {
        if (!a.note.empty())
            a.note += "; ";
        a.note += part;
    }
};

// Relative numbers start at the SYN.  Without a SYN, the first byte seen
// is called 1 (a bare RST is called 0, as an answer to a SYN is).
void learn_numbers(Step &t)
{
    Side &S = t.S, &P = t.P;
    const Segment &s = t.s;
    if (t.syn && !S.sent_any) {
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
        S.isn = (t.rst && s.length == 0) ? s.seq : s.seq - 1;
        S.isn_known = true;
    }
    if (t.ack && !P.isn_known) {
        P.isn = s.ack - 1;
        P.isn_known = true;
    }
    t.a.rel_seq = s.seq - S.isn;
    t.a.rel_ack = t.ack ? s.ack - P.isn : 0;
}

// Sequence space, bytes, retransmissions, acknowledgements, window.
void count_segment(Step &t)
{
    Side &S = t.S, &P = t.P;
    const Segment &s = t.s;
    const uint32_t end = s.seq + s.seq_space();
    t.a.retransmission = s.seq_space() > 0 && S.sent_any && !seq_after(end, S.next_seq);
    if (!S.sent_any || seq_after(end, S.next_seq))
        S.next_seq = end;
    S.sent_any = true;
    ++S.segments;
    if (t.a.retransmission) {
        ++S.retransmissions;
    } else if (s.length > 0) {
        S.bytes += s.length;
        S.last_data_number = t.number;
        if (P.fin)
            P.data_after_own_fin = true;
    }
    t.had_ack = S.acked_any;
    t.prev_ack = S.last_ack;
    t.new_ack = t.ack && (!t.had_ack || seq_after(s.ack, t.prev_ack));
    if (t.new_ack) {
        S.last_ack = s.ack;
        S.acked_any = true;
    }
    t.window_changed = S.window_known && s.window != S.last_window;
    S.window_known = true;
    S.last_window = s.window;
}

// RST: why it was sent.
void rule_rst(Step &t)
{
    ResetKind kind = reset_kind(t.c, t.from);
    t.note("RST from the " + t.who + ": " + reset_text(kind, t.from, endpoint(t.S)));
    t.S.rst = true;
    if (t.c.reset_by < 0) {
        t.c.reset_by = t.from;
        t.c.reset = kind;
    }
}

// SYN without ACK: handshake 1/3, the client's connect().
void rule_syn(Step &t)
{
    if (t.a.retransmission) {
        t.note("SYN sent again: no answer yet (the server's listen backlog may be full)");
        return;
    }
    t.note("handshake 1/3: SYN, the client's connect(); its sequence numbers start here "
           "(relative 0)");
    t.c.stage = 1;
    t.c.open_number = t.number;
    t.c.open_time_us = t.s.time_us;
}

// SYN+ACK: handshake 2/3, the server's kernel for the listen()ing socket.
void rule_syn_ack(Step &t)
{
    if (t.a.retransmission) {
        t.note("SYN+ACK sent again (retransmission)");
        return;
    }
    t.note("handshake 2/3: SYN+ACK, answered by the server's kernel for the listen()ing "
           "socket (no accept() needed)");
    if (t.c.stage < 2)
        t.c.stage = 2;
}

// ACK of the SYN+ACK: handshake 3/3, connect() returns.
void rule_handshake_done(Step &t)
{
    if (t.c.stage == 2 && t.from == client && t.ack && t.s.ack == t.P.isn + 1) {
        t.note("handshake 3/3: connect() returns; the server's kernel puts the connection in "
               "the listen backlog, where accept() will find it");
        t.c.stage = 3;
        t.handshake_done = true;
    }
}

// The request line or status line an HTTP message starts with, or "".
std::string http_line(const Segment &s)
{
    static const char *const starts[] = {"GET ", "HEAD ", "POST ", "PUT ", "DELETE ", "OPTIONS ",
                                         "PATCH ", "HTTP/1."};
    const std::string text(s.payload.begin(), s.payload.end());
    for (const char *start : starts)
        if (text.rfind(start, 0) == 0) {
            size_t end = text.find_first_of("\r\n");
            return text.substr(0, end == std::string::npos ? std::min<size_t>(text.size(), 80) : end);
        }
    return "";
}

// Payload: data, with a preview; the start of an HTTP message says which.
void rule_data(Step &t)
{
    if (t.s.length == 0)
        return;
    if (!t.a.retransmission) {
        std::string http = http_line(t.s);
        if (!http.empty())
            t.note("HTTP " + std::string(http.rfind("HTTP/", 0) == 0 ? "response" : "request") + ": " + http);
        if (t.keep_streams)
            t.S.stream.append(t.s.payload.begin(), t.s.payload.end());
    }
    std::string d = "data: " + num(t.s.length) + " bytes written by the " + t.who;
    if (t.a.retransmission)
        d += ", sent again (retransmission)";
    d += ": " + preview(t.s);
    if (t.P.fin && !t.a.retransmission)
        d += " (after the " + t.peer + "'s FIN: it reads this only if it used shutdown(SHUT_WR))";
    t.note(d);
}

// FIN: the first closes first; a second FIN that does not acknowledge the
// first was sent before it arrived: a simultaneous close.
void rule_fin(Step &t)
{
    Side &S = t.S, &P = t.P;
    t.had_fin = S.fin;
    t.acks_peer_fin = t.ack && P.fin && !P.fin_acked && !seq_after(P.fin_seq + 1, t.s.ack);
    if (t.acks_peer_fin)
        P.fin_acked = true;
    if (!t.fin)
        return;
    if (t.a.retransmission) {
        t.note("FIN sent again (retransmission)");
        return;
    }
    if (!P.fin) {
        t.note("FIN from the " + t.who + ": it closed first (close(), shutdown(SHUT_WR) or "
               "exit); the FIN takes one sequence number");
        t.c.first_closer = t.from;
        t.c.close = t.from == client ? CloseKind::client_first : CloseKind::server_first;
    } else if (!t.acks_peer_fin && !P.fin_acked) {
        t.note("FIN from the " + t.who + " before the " + t.peer + "'s FIN arrived (its ack " +
               num(t.a.rel_ack) + " does not cover that FIN, " + num(P.fin_seq - P.isn) +
               "): a simultaneous close, neither closed first; both sides go through CLOSING to "
               "TIME_WAIT");
        t.c.close = CloseKind::simultaneous;
    } else {
        t.note("FIN from the " + t.who + ": it closes its side too" +
               (t.acks_peer_fin ? ", and acknowledges the " + t.peer + "'s FIN" : std::string()));
    }
    S.fin = true;
    S.fin_seq = t.s.seq + t.s.length;
    S.fin_number = t.number;
}

// What a segment that carries nothing else acknowledges.
void rule_ack(Step &t)
{
    const Segment &s = t.s;
    if (t.acks_peer_fin && !t.fin) {
        if (!t.had_fin)
            t.note("ACK of the " + t.peer + "'s FIN: the " + t.who + "'s read() will return 0 "
                   "(end of file)");
        else if (t.c.close == CloseKind::simultaneous)
            t.note("ACK of the " + t.peer + "'s FIN: both directions are closed; after a "
                   "simultaneous close both sides wait in TIME_WAIT");
        else
            t.note("ACK of the " + t.peer + "'s FIN: both directions are closed; the " +
                   role_name(t.c.first_closer >= 0 ? t.c.first_closer : t.from) +
                   ", which closed first, waits in TIME_WAIT");
        return;
    }
    if (s.length > 0 || t.fin || t.handshake_done)
        return;
    const uint32_t peer_isn = t.P.isn;
    if (t.new_ack && t.had_ack)
        t.note("ACK: the " + t.who + " has received the " + t.peer + "'s bytes " +
               num(t.prev_ack - peer_isn) + "-" + num(s.ack - peer_isn - 1));
    else if (t.new_ack)
        t.note("ACK up to the " + t.peer + "'s byte " + num(s.ack - peer_isn - 1));
    else if (s.window != 0 && t.window_changed && t.P.bytes > 0)
        t.note("window update: the " + t.who + "'s application read from its buffer");
    else if (s.window != 0 && t.window_changed)
        t.note("window update: the " + t.who + "'s kernel offers a new window (no data was "
               "read: nothing has arrived yet, as after the handshake)");
    else if (s.window != 0)
        t.note("duplicate ACK: nothing new acknowledged");
}

// Data after a side's FIN that the side acknowledges: it was shutdown(SHUT_WR).
void rule_shutdown_seen(Step &t)
{
    Side &S = t.S;
    if (t.new_ack && t.had_fin && S.data_after_own_fin && !S.half_closed) {
        S.half_closed = true;
        t.note("the " + t.who + " acknowledges data sent after its own FIN: that FIN was "
               "shutdown(SHUT_WR), not close(), and the " + t.who + " still reads");
    }
}

// Window 0: the receiver's application is not reading.
void rule_window_zero(Step &t)
{
    if (t.ack && t.s.window == 0)
        t.note("window 0: the " + t.who + "'s receive buffer is full (its application is not "
               "reading)");
}

// A window scale above RFC 7323's 14 is taken as 14.
void rule_wscale_clamped(Step &t)
{
    if (t.syn && !t.rst && t.S.wscale && *t.S.wscale > TCP_MAX_WINSHIFT)
        t.note("wscale " + num(*t.S.wscale) + " is more than RFC 7323's maximum of " +
               num(TCP_MAX_WINSHIFT) + ": taken as " + num(TCP_MAX_WINSHIFT));
}

}  // namespace

Annotated Tracker::add(const Segment &s)
{
    count_ = s.number ? s.number : count_ + 1;
    if (!origin_set_)
        set_origin(s.time_us);
    Connection &c = connection_for(s);
    int from = (s.src == c.side[client].addr && s.sport == c.side[client].port) ? client : server;
    Annotated a;
    a.connection = c.id;
    a.from = from;
    a.number = count_;
    Step t{c, s, from, c.side[from], c.side[1 - from], a, count_, role_name(from),
           role_name(1 - from), s.has(flag_syn), s.has(flag_ack), s.has(flag_fin), s.has(flag_rst)};
    t.keep_streams = keep_streams_;
    learn_numbers(t);
    count_segment(t);
    // The rules, in the order of the table at the top of this file.
    if (t.rst) {
        rule_rst(t);
    } else if (t.syn && !t.ack) {
        rule_syn(t);
    } else if (t.syn) {
        rule_syn_ack(t);
    } else {
        rule_handshake_done(t);
        rule_data(t);
        rule_fin(t);
        rule_ack(t);
        rule_shutdown_seen(t);
        rule_window_zero(t);
    }
    rule_wscale_clamped(t);
    record_row(c, s, a);
    return a;
}

void Tracker::record_row(Connection &c, const Segment &s, const Annotated &a)
{
    TableRow row;
    row.number = a.number;
    row.from = a.from;
    row.seq = a.rel_seq;
    row.length = s.length;
    for (int r : {client, server}) {
        const Side &x = c.side[r], &y = c.side[1 - r];
        if (x.sent_any)
            row.next_seq[r] = x.next_seq - x.isn;
        if (x.acked_any)
            row.ack[r] = x.last_ack - y.isn;
        row.isn[r] = x.isn;
    }
    row.flags = flags_text(s.flags);
    c.table.push_back(row);
}

}  // namespace wire
