// SPDX-License-Identifier: MIT
// view.cpp - formatting segments and summaries.
#include "view.hpp"

#include <cstdio>
#include <ctime>

namespace wire {

namespace {

std::string num(uint64_t v) { return std::to_string(v); }

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

std::string endpoint(const std::string &addr, uint16_t port) { return addr + "." + num(port); }

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

std::string format_line(const Segment &s, const Annotated &a, const Tracker &t, bool absolute_time)
{
    std::string line = pad_left(num(a.number), 3) + " " +
                       time_text(s.time_us, t.first_time_us(), absolute_time) + " " +
                       endpoint(s.src, s.sport) + " > " + endpoint(s.dst, s.dport) +
                       ": Flags [" + flags_text(s.flags) + "]";
    // tcpdump shows seq only for segments that occupy sequence space.
    if (s.length > 0)
        line += ", seq " + num(a.rel_seq) + ":" + num(a.rel_seq + s.length);
    else if (s.has(flag_syn) || s.has(flag_fin) || s.has(flag_rst))
        line += ", seq " + num(a.rel_seq);
    if (s.has(flag_ack))
        line += ", ack " + num(a.rel_ack);
    line += ", win " + num(s.window);
    if (!s.options.empty()) {
        const Connection *c = t.find(a.connection);
        uint32_t peer_isn = c ? c->side[1 - a.from].isn : 0;
        line += ", options [" + options_text(s, peer_isn) + "]";
    }
    line += ", length " + num(s.length);
    if (!a.note.empty())
        line += "  | " + a.note;
    return line;
}

std::string format_summary(const Connection &c, int64_t first_us, size_t table_rows)
{
    const Side &cl = c.side[client], &sv = c.side[server];
    std::string out = "connection " + num(c.id) + ": client " + endpoint(cl.addr, cl.port) +
                      ", server " + endpoint(sv.addr, sv.port) +
                      (c.roles_guessed ? " (no SYN captured: roles guessed from the ports)" : "") + "\n";

    out += "  opened:        ";
    if (c.open_number)
        out += "by the client's connect() (SYN, segment " + num(c.open_number) + ", at " +
               time_text(c.open_time_us, first_us, false) + ")";
    else
        out += "before the capture started";
    if (c.stage == 1 && c.reset_by == server)
        out += ", refused";
    out += "\n";

    out += "  closed first:  ";
    if (c.first_closer >= 0) {
        const Side &f = c.side[c.first_closer];
        out += std::string("by the ") + role_name(c.first_closer) + " (FIN, segment " +
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
    out += "\n";

    out += "  ended:         ";
    if (c.reset_by >= 0)
        out += std::string("reset by the ") + role_name(c.reset_by) + ": " + c.reset_cause;
    else if (c.finished())
        out += "orderly: FIN and ACK in both directions";
    else
        out += "still open when the capture ended";
    out += "\n";

    auto count = [](uint64_t n, const char *what) { return num(n) + " " + what + (n == 1 ? "" : "s"); };
    if (cl.syn_seen || sv.syn_seen) {
        auto offered = [](const Side &x) {
            if (!x.syn_seen)
                return std::string("(no SYN captured)");
            std::string t = x.mss ? "mss " + num(*x.mss) : std::string("no mss");
            if (x.wscale)
                t += ", wscale " + num(*x.wscale) +
                     (*x.shift() != *x.wscale ? " (taken as " + num(*x.shift()) + ")" : "");
            if (x.sack_ok)
                t += ", sackOK";
            if (x.timestamps)
                t += ", timestamps";
            return t;
        };
        out += "  SYN options:   client " + offered(cl) + "; server " + offered(sv) + "\n";
        out += "  windows:       ";
        if (cl.shift() && sv.shift())
            out += "after the SYNs, win counts units of " + num(1u << *cl.shift()) +
                   " bytes from the client, " + num(1u << *sv.shift()) + " from the server (wscale)\n";
        else if (cl.syn_seen && sv.syn_seen)
            out += "in bytes (no window scaling: both sides must offer wscale)\n";
        else
            out += "scale unknown (a SYN is missing)\n";
    }

    out += "  client > server: " + count(cl.bytes, "byte") + " in " + count(cl.segments, "segment") + "\n";
    out += "  server > client: " + count(sv.bytes, "byte") + " in " + count(sv.segments, "segment") + "\n";
    out += "  retransmissions: ";
    if (cl.retransmissions + sv.retransmissions == 0)
        out += "none\n";
    else
        out += num(cl.retransmissions) + " by the client, " + num(sv.retransmissions) +
               " by the server\n";

    out += "  seq/ack after each segment (relative; seq: the next byte that side sends, "
           "ack: the next byte it expects):\n";
    out += "      #  from    flags  length | client seq     ack | server seq     ack\n";
    size_t shown = 0;
    for (const auto &r : c.table) {
        if (shown == table_rows) {
            out += "    ... " + num(c.table.size() - shown) + " more segments\n";
            break;
        }
        auto ack = [](const std::optional<uint32_t> &v) { return v ? num(*v) : std::string("-"); };
        out += "    " + pad_left(num(r.number), 3) + "  " + pad_right(role_name(r.from), 6) + "  " +
               pad_right(r.flags, 5) + pad_left(num(r.length), 7) + " | " +
               pad_left(num(r.next_seq[client]), 10) + pad_left(ack(r.ack[client]), 8) + " | " +
               pad_left(num(r.next_seq[server]), 10) + pad_left(ack(r.ack[server]), 8) + "\n";
        ++shown;
    }
    return out;
}

bool Viewer::frame(int link, int64_t time_us, std::span<const uint8_t> bytes, uint64_t number)
{
    if (frames_ == 0 && !origin_set_)
        tracker_.set_origin(time_us);  // time 0 is the capture's, as in Wireshark
    frames_ = number ? number : frames_ + 1;
    Packet p = decode_packet(link, time_us, bytes);
    if (p.kind != Packet::tcp) {
        skip(p.kind == Packet::udp ? "UDP" : p.kind == Packet::icmp ? "ICMP" : p.skipped);
        return false;
    }
    const Segment &s = p.segment;
    if (options_.only_server_port && s.sport != options_.server_port && s.dport != options_.server_port) {
        skip("of other ports");
        return false;
    }
    p.segment.number = frames_;
    segment(p.segment);
    return true;
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
    out_ << format_line(s, a, tracker_, options_.absolute_time) << '\n';
    if (options_.hex)
        out_ << hex_dump(s);
    out_.flush();
}

void Viewer::summary()
{
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
    if (conns.empty()) {
        out_ << "no TCP segments captured\n";
        return;
    }
    for (const auto &c : conns)
        out_ << format_summary(c, tracker_.first_time_us(), options_.table_rows) << "\n";
    out_.flush();
}

}  // namespace wire
