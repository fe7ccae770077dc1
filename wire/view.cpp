// SPDX-License-Identifier: MIT
// view.cpp - formatting segments and summaries.
#include "view.hpp"

#include "udp.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <ctime>

namespace wire {

namespace {

std::string time_text(int64_t time_us, int64_t first_us, bool absolute)
{
    char buf[64];
    if (absolute) {
        time_t secs = static_cast<time_t>(time_us / 1000000);
        struct tm tm {};
        localtime_r(&secs, &tm);
        std::snprintf(buf, sizeof buf, "%02d:%02d:%02d.%06ld", tm.tm_hour, tm.tm_min, tm.tm_sec,
                      static_cast<long>(time_us % 1000000));
    } else {
        int64_t d = time_us - first_us;
        std::snprintf(buf, sizeof buf, "%ld.%06ld", static_cast<long>(d / 1000000),
                      static_cast<long>(d % 1000000));
    }
    return buf;
}

std::string pad_left(const std::string &s, size_t width)
{
    return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

std::string pad_right(const std::string &s, size_t width)
{
    return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

}  // namespace

std::string options_text(const Segment &s, uint32_t peer_isn)
{
    std::string out;
    for (const auto &o : s.options) {
        if (!out.empty())
            out += ",";
        switch (o.kind) {
        case 0: out += "eol"; break;
        case 1: out += "nop"; break;
        case 2: out += o.values.empty() ? "mss ?" : "mss " + num(o.values[0]); break;
        case 3: out += o.values.empty() ? "wscale ?" : "wscale " + num(o.values[0]); break;
        case 4: out += "sackOK"; break;
        case 5:
            out += "sack " + num(o.values.size() / 2);
            for (size_t i = 0; i + 1 < o.values.size(); i += 2)
                out += " {" + num(o.values[i] - peer_isn) + ":" + num(o.values[i + 1] - peer_isn) + "}";
            break;
        case 8:
            out += o.values.size() == 2 ? "TS val " + num(o.values[0]) + " ecr " + num(o.values[1])
                                        : "TS ?";
            break;
        default: out += "unknown-" + num(o.kind) + " len " + num(o.length); break;
        }
    }
    return out;
}

std::string hex_dump(const Segment &s)
{
    std::string out;
    const auto &p = s.payload;
    for (size_t row = 0; row < p.size(); row += 16) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "\t0x%04zx:  ", row);
        out += buf;
        std::string ascii;
        for (size_t i = row; i < row + 16; ++i) {
            if (i < p.size()) {
                std::snprintf(buf, sizeof buf, "%02x", p[i]);
                out += buf;
                ascii += (p[i] >= 0x20 && p[i] < 0x7f) ? static_cast<char>(p[i]) : '.';
            } else {
                out += "  ";
            }
            if (i % 2 == 1)
                out += ' ';
        }
        out += " " + ascii + "\n";
    }
    return out;
}

namespace {

// The note wrapped to width columns, each line indented by indent.
std::string wrap(const std::string &text, size_t width, size_t indent)
{
    std::string out, line;
    const size_t room = width > indent + 20 ? width - indent : 20;
    size_t at = 0;
    while (at < text.size()) {
        size_t space = text.find(' ', at);
        std::string word = text.substr(at, space == std::string::npos ? std::string::npos : space - at);
        at = space == std::string::npos ? text.size() : space + 1;
        if (!line.empty() && line.size() + 1 + word.size() > room) {
            out += std::string(indent, ' ') + line + "\n";
            line.clear();
        }
        line += (line.empty() ? "" : " ") + word;
    }
    if (!line.empty())
        out += std::string(indent, ' ') + line + "\n";
    return out;
}

// seq and ack as the line shows them: relative, or raw with -S.
struct Numbers {
    uint32_t seq, ack;
};

Numbers numbers(const Segment &s, const Annotated &a, const LineOptions &o)
{
    return o.absolute_seq ? Numbers{s.seq, s.ack} : Numbers{a.rel_seq, a.rel_ack};
}

}  // namespace

std::string format_line(const Segment &s, const Annotated &a, const Tracker &t, const LineOptions &o)
{
    const Numbers n = numbers(s, a, o);
    // The compact layout (a narrow terminal): tcpdump's fields without
    // their commas and options, the note wrapped under the line.
    const bool compact = o.width > 0;
    const std::string sep = compact ? " " : ", ";
    std::string line = pad_left(num(a.number), 3) + " " +
                       time_text(s.time_us, t.first_time_us(), o.absolute_time) + " " +
                       endpoint(s.src, s.sport) + " > " + endpoint(s.dst, s.dport) +
                       (compact ? " [" : ": Flags [") + flags_text(s.flags) + "]";
    // tcpdump shows seq only for segments that occupy sequence space.
    if (s.length > 0)
        line += sep + "seq " + num(n.seq) + ":" + num(n.seq + s.length);
    else if (s.has(flag_syn) || s.has(flag_fin) || s.has(flag_rst))
        line += sep + "seq " + num(n.seq);
    if (s.has(flag_ack))
        line += sep + "ack " + num(n.ack);
    line += sep + "win " + num(s.window);
    if (!s.options.empty() && !compact) {
        const Connection *c = t.find(a.connection);
        uint32_t peer_isn = c && !o.absolute_seq ? c->side[1 - a.from].isn : 0;
        line += ", options [" + options_text(s, peer_isn) + "]";
    }
    line += (compact ? " len " : ", length ") + num(s.length);
    if (compact) {
        std::string note = wrap(a.note, o.width, 6);
        if (!note.empty())
            note.pop_back();  // the caller ends the last line
        return note.empty() ? line : line + "\n" + note;
    }
    if (!a.note.empty())
        line += "  | " + a.note;
    return line;
}

namespace {

std::string opened_line(const Connection &c, int64_t first_us)
{
    std::string out = "  opened:        ";
    if (c.open_number)
        out += "by the client's connect() (SYN, frame " + num(c.open_number) + ", at " +
               time_text(c.open_time_us, first_us, false) + ")";
    else
        out += "before the capture started";
    if (c.stage == 1 && c.reset_by == server)
        out += ", refused";
    return out + "\n";
}

std::string closed_line(const Connection &c)
{
    std::string out = "  closed first:  ";
    if (c.close == CloseKind::simultaneous) {
        const Side &a = c.side[c.first_closer], &b = c.side[1 - c.first_closer];
        return out + "neither: a simultaneous close (FINs in frames " + num(a.fin_number) + " and " +
               num(b.fin_number) + "; each was sent before the other arrived: the second FIN's "
               "ack does not cover the first)\n";
    }
    if (c.first_closer >= 0) {
        const Side &f = c.side[c.first_closer];
        out += std::string("by the ") + role_name(c.first_closer) + " (FIN, frame " +
               num(f.fin_number) + "): ";
        if (f.half_closed)
            out += "shutdown(SHUT_WR): it kept reading after its FIN";
        else if (f.data_after_own_fin && f.rst)
            out += "close(): data sent to it afterwards was answered with RST";
        else
            out += "close() or shutdown(SHUT_WR) (nothing came after the FIN to tell them apart)";
    } else if (c.reset_by >= 0) {
        out += "nobody sent FIN";
    } else {
        out += "not closed during the capture";
    }
    return out + "\n";
}

std::string ended_line(const Connection &c)
{
    std::string out = "  ended:         ";
    if (c.reset_by >= 0)
        out += std::string("reset by the ") + role_name(c.reset_by) + ": " +
               reset_text(c.reset, c.reset_by, c.side[c.reset_by].addr + "." + num(c.side[c.reset_by].port));
    else if (c.finished())
        out += "orderly: FIN and ACK in both directions";
    else
        out += "still open when the capture ended";
    return out + "\n";
}

std::string offered(const Side &x)
{
    if (!x.syn_seen)
        return "(no SYN captured)";
    std::string t = x.mss ? "mss " + num(*x.mss) : std::string("no mss");
    if (x.wscale)
        t += ", wscale " + num(*x.wscale) +
             (*x.shift() != *x.wscale ? " (taken as " + num(*x.shift()) + ")" : "");
    if (x.sack_ok)
        t += ", sackOK";
    if (x.timestamps)
        t += ", timestamps";
    return t;
}

std::string syn_lines(const Connection &c)
{
    const Side &cl = c.side[client], &sv = c.side[server];
    if (!cl.syn_seen && !sv.syn_seen)
        return "";
    std::string out = "  SYN options:   client " + offered(cl) + "; server " + offered(sv) + "\n";
    out += "  windows:       ";
    if (cl.shift() && sv.shift())
        out += "after the SYNs, win counts units of " + num(1u << *cl.shift()) +
               " bytes from the client, " + num(1u << *sv.shift()) + " from the server (wscale)\n";
    else if (cl.syn_seen && sv.syn_seen)
        out += "in bytes (no window scaling: both sides must offer wscale)\n";
    else
        out += "scale unknown (a SYN is missing)\n";
    return out;
}

std::string count_lines(const Connection &c)
{
    const Side &cl = c.side[client], &sv = c.side[server];
    auto count = [](uint64_t n, const char *what) { return num(n) + " " + what + (n == 1 ? "" : "s"); };
    std::string out = "  client > server: " + count(cl.bytes, "byte") + " in " + count(cl.segments, "segment") + "\n";
    out += "  server > client: " + count(sv.bytes, "byte") + " in " + count(sv.segments, "segment") + "\n";
    out += "  retransmissions: ";
    if (cl.retransmissions + sv.retransmissions == 0)
        return out + "none\n";
    return out + num(cl.retransmissions) + " by the client, " + num(sv.retransmissions) + " by the server\n";
}

std::string table_lines(const Connection &c, const TableOptions &o)
{
    std::string out = std::string("  seq/ack after each segment (") +
                      (o.absolute_seq ? "absolute" : "relative") +
                      "; seq: the next byte that side will send, ack: the last acknowledgement "
                      "that side sent, the next byte it expects; - where it sent none yet):\n";
    out += "      #  from    flags  length | client seq        ack | server seq        ack\n";
    auto cell = [&](const std::optional<uint32_t> &v, uint32_t base) {
        return v ? num(o.absolute_seq ? *v + base : *v) : std::string("-");
    };
    size_t shown = 0;
    for (const auto &r : c.table) {
        if (o.rows > 0 && shown == o.rows) {
            out += "    ... " + num(c.table.size() - shown) + " more rows (tcpview --rows all prints "
                   "every row)\n";
            break;
        }
        out += "    " + pad_left(num(r.number), 3) + "  " + pad_right(role_name(r.from), 6) + "  " +
               pad_right(r.flags, 5) + pad_left(num(r.length), 7) + " | " +
               pad_left(cell(r.next_seq[client], r.isn[client]), 10) +
               pad_left(cell(r.ack[client], r.isn[server]), 11) + " | " +
               pad_left(cell(r.next_seq[server], r.isn[server]), 10) +
               pad_left(cell(r.ack[server], r.isn[client]), 11) + "\n";
        ++shown;
    }
    return out;
}

}  // namespace

std::string format_summary(const Connection &c, int64_t first_us, const TableOptions &table)
{
    const Side &cl = c.side[client], &sv = c.side[server];
    return "connection " + num(c.id) + ": client " + endpoint(cl.addr, cl.port) + ", server " +
           endpoint(sv.addr, sv.port) +
           (c.roles_guessed ? " (no SYN captured: roles guessed from the ports)" : "") + "\n" +
           opened_line(c, first_us) + closed_line(c) + ended_line(c) + syn_lines(c) +
           count_lines(c) + table_lines(c, table);
}

std::string follow_text(const std::string &bytes)
{
    std::string out;
    for (unsigned char b : bytes) {
        if (b == '\\') {
            out += "\\\\";
        } else if ((b >= 0x20 && b < 0x7f) || b == '\n' || b == '\t') {
            out += static_cast<char>(b);
        } else {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02x", b);
            out += hex;
        }
    }
    return out;
}

bool Viewer::frame(int link, int64_t time_us, std::span<const uint8_t> bytes, uint64_t number)
{
    if (frames_ == 0 && !origin_set_)
        tracker_.set_origin(time_us);  // time 0 is the capture's, as in Wireshark
    frames_ = number ? number : frames_ + 1;
    Packet p = decode_packet(link, time_us, bytes);
    if (p.kind == Packet::other) {
        skip(p.skipped);
        return false;
    }
    if (options_.only_server_port && !of_server_port(p)) {
        skip("of other ports");
        return false;
    }
    const std::string time = time_text(time_us, tracker_.first_time_us(), options_.absolute_time);
    if (p.kind == Packet::udp) {
        p.datagram.number = frames_;
        out_ << format_datagram(p.datagram, time) << '\n';
        ++datagrams_;
    } else if (p.kind == Packet::icmp) {
        p.message.number = frames_;
        out_ << format_icmp(p.message, time) << '\n';
        ++icmp_;
        unreachable_ += p.message.port_unreachable() ? 1 : 0;
    } else {
        p.segment.number = frames_;
        segment(p.segment);
    }
    out_.flush();
    return true;
}

bool Viewer::of_server_port(const Packet &p) const
{
    const int port = options_.server_port;
    switch (p.kind) {
    case Packet::tcp: return p.segment.sport == port || p.segment.dport == port;
    case Packet::udp: return p.datagram.sport == port || p.datagram.dport == port;
    case Packet::icmp: return p.message.quoted_sport == port || p.message.quoted_dport == port;
    default: return false;
    }
}

void Viewer::skip(const std::string &what, uint64_t count)
{
    for (auto &[name, n] : skipped_)
        if (name == what) {
            n += count;
            return;
        }
    skipped_.emplace_back(what, count);
}

void Viewer::segment(const Segment &s)
{
    Annotated a = tracker_.add(s);
    if (!options_.svg_path.empty() || !options_.html_path.empty()) {
        const Connection &c = *tracker_.find(a.connection);
        rungs_.push_back({a.connection, a.from, flags_text(s.flags), a.rel_seq, a.rel_ack, s.length,
                          s.has(flag_ack), a.retransmission, s.has(flag_rst), s.has(flag_syn),
                          s.has(flag_fin), socket_call(s, a, c)});
    }
    out_ << format_line(s, a, tracker_, {options_.absolute_time, options_.absolute_seq, options_.width})
         << '\n';
    if (options_.hex)
        out_ << hex_dump(s);
    out_.flush();
}

void Viewer::write_ladders()
{
    for (const auto &[path, html] : {std::pair{options_.svg_path, false}, std::pair{options_.html_path, true}}) {
        if (path.empty())
            continue;
        std::ofstream file(path, std::ios::trunc);
        file << (html ? ladder_html(rungs_, tracker_) : ladder_svg(rungs_, tracker_));
        file.close();
        if (file)
            out_ << "[tcpview] ladder diagram written to " << path << "\n";
        else
            out_ << "[tcpview] cannot write " << path << ": " << std::strerror(errno) << "\n";
    }
}

void Viewer::summary()
{
    write_ladders();
    const auto &conns = tracker_.connections();
    out_ << "\n";
    if (!skipped_.empty()) {
        uint64_t total = 0;
        std::string kinds;
        for (const auto &[name, count] : skipped_) {
            total += count;
            kinds += (kinds.empty() ? "" : ", ") + num(count) + " " + name;
        }
        out_ << "skipped " << total << (total == 1 ? " frame: " : " frames: ") << kinds << "\n";
    }
    if (datagrams_ || icmp_)
        out_ << "UDP: " << datagrams_ << (datagrams_ == 1 ? " datagram" : " datagrams") << "; ICMP: "
             << icmp_ << (icmp_ == 1 ? " message" : " messages") << " (" << unreachable_
             << " port unreachable)\n";
    if (conns.empty()) {
        out_ << "no TCP segments captured\n";
        return;
    }
    for (const auto &c : conns)
        out_ << format_summary(c, tracker_.first_time_us(), {options_.table_rows, options_.absolute_seq}) << "\n";
    if (options_.follow)
        for (const auto &c : conns)
            for (int r : {client, server}) {
                const Side &x = c.side[r], &y = c.side[1 - r];
                out_ << "connection " << c.id << ", " << role_name(r) << " > " << role_name(1 - r) << " ("
                     << x.addr << "." << x.port << " > " << y.addr << "." << y.port << "), "
                     << x.stream.size() << " bytes:\n" << follow_text(x.stream)
                     << (x.stream.empty() || x.stream.back() == '\n' ? "" : "\n") << "\n";
            }
    out_.flush();
}

}  // namespace wire
