// SPDX-License-Identifier: MIT
// ladder.cpp - the ladder diagram in SVG, by hand (no library: the markup
// is a few element kinds).
#include "ladder.hpp"

namespace wire {

namespace {

constexpr int left_x = 200, right_x = 600, width = 800, row = 34, panel_head = 70;

std::string escape(const std::string &text)
{
    std::string out;
    for (char ch : text) {
        switch (ch) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out += ch; break;
        }
    }
    return out;
}

// Same kind, same direction: data (not retransmitted) or a pure ACK.
bool foldable(const Rung &a, const Rung &b)
{
    auto plain = [](const Rung &r) { return !r.syn && !r.fin && !r.rst && !r.retransmission; };
    return a.connection == b.connection && a.from == b.from && plain(a) && plain(b) &&
           (a.length > 0) == (b.length > 0);
}

std::string label(const Rung &r, size_t count, uint32_t last_end, uint32_t bytes)
{
    std::string t = "[" + r.flags + "]";
    if (count > 1)
        return t + " x" + num(static_cast<int64_t>(count)) + (r.length ? " seq " + num(r.seq) + ":" +
               num(last_end) + ", " + num(bytes) + " bytes" : " ACKs");
    if (r.length)
        t += " seq " + num(r.seq) + ":" + num(r.seq + r.length);
    else if (r.syn || r.fin || r.rst)
        t += " seq " + num(r.seq);
    if (r.has_ack)
        t += " ack " + num(r.ack);
    return t + " len " + num(r.length) + (r.retransmission ? " (retransmission)" : "");
}

// One arrow (one segment, or a folded run of count segments) at row y.
std::string arrow(const Rung &r, size_t count, uint32_t last_end, uint32_t bytes, int y)
{
    const int x1 = r.from == client ? left_x : right_x, x2 = r.from == client ? right_x : left_x;
    const char *kind = r.rst ? "rst" : r.retransmission ? "retransmission" : count > 1 ? "folded" : "segment";
    std::string out = "<g class=\"" + std::string(kind) + "\" data-count=\"" + num(static_cast<int64_t>(count)) +
                      "\"><line x1=\"" + num(x1) + "\" y1=\"" + num(y) + "\" x2=\"" + num(x2) + "\" y2=\"" +
                      num(y + row - 8) + "\" marker-end=\"url(#head)\"/>";
    out += "<text class=\"label\" x=\"" + num((x1 + x2) / 2) + "\" y=\"" + num(y + row / 2 - 6) +
           "\" text-anchor=\"middle\">" + escape(label(r, count, last_end, bytes)) + "</text>";
    if (!r.call.empty())
        out += "<text class=\"call\" x=\"" + num(r.from == client ? left_x - 8 : right_x + 8) + "\" y=\"" +
               num(y + 4) + "\" text-anchor=\"" + (r.from == client ? "end" : "start") + "\">" +
               escape(r.call) + "</text>";
    return out + "</g>\n";
}

std::string panel(const Connection &c, const std::vector<Rung> &rungs, int top, int *height)
{
    std::vector<const Rung *> mine;
    for (const auto &r : rungs)
        if (r.connection == c.id)
            mine.push_back(&r);
    std::string body;
    int y = top + panel_head;
    for (size_t i = 0; i < mine.size();) {
        size_t j = i + 1;
        uint32_t bytes = mine[i]->length;
        while (j < mine.size() && foldable(*mine[i], *mine[j]))
            bytes += mine[j++]->length;
        size_t run = j - i >= fold_at ? j - i : 1;
        const Rung &last = *mine[i + run - 1];
        Rung first = *mine[i];
        if (first.fin && !first.retransmission && c.side[first.from].half_closed)
            first.call = "shutdown(SHUT_WR)";  // known only from what came after the FIN
        body += arrow(first, run, last.seq + last.length, run > 1 ? bytes : first.length, y);
        y += row;
        i += run;
    }
    *height = y - top + 20;
    const Side &cl = c.side[client], &sv = c.side[server];
    std::string head = "<text class=\"title\" x=\"20\" y=\"" + num(top + 22) + "\">connection " + num(c.id) +
                       "</text>\n<text class=\"end\" x=\"" + num(left_x) + "\" y=\"" + num(top + 50) +
                       "\" text-anchor=\"middle\">client " + escape(cl.addr + "." + std::to_string(cl.port)) +
                       "</text>\n<text class=\"end\" x=\"" + num(right_x) + "\" y=\"" + num(top + 50) +
                       "\" text-anchor=\"middle\">server " + escape(sv.addr + "." + std::to_string(sv.port)) +
                       "</text>\n";
    for (int x : {left_x, right_x})
        head += "<line class=\"timeline\" x1=\"" + num(x) + "\" y1=\"" + num(top + panel_head - 10) +
                "\" x2=\"" + num(x) + "\" y2=\"" + num(y) + "\"/>\n";
    return head + body;
}

const char *const style =
    "svg{background:#fff;font-family:sans-serif}.timeline{stroke:#333;stroke-width:2}"
    "line{stroke:#1f5fbf;stroke-width:1.5}.rst line{stroke:#c00;stroke-width:3}"
    ".retransmission line{stroke:#d80;stroke-dasharray:6 4}.folded line{stroke-width:4}"
    ".label{font-size:12px;fill:#000}.call{font-size:12px;fill:#060;font-style:italic}"
    ".title{font-size:16px;font-weight:bold}.end{font-size:13px}";

}  // namespace

std::string socket_call(const Segment &s, const Annotated &a, const Connection &c)
{
    const Side &me = c.side[a.from];
    if (a.retransmission)
        return "(the kernel resends)";
    if (s.has(flag_rst))
        return a.from == server && c.stage == 1 ? "(no listener)" : "close() (RST)";
    if (s.has(flag_syn))
        return s.has(flag_ack) ? "(listen()ing kernel)" : "connect()";
    if (a.note.find("handshake 3/3") != std::string::npos)
        return "connect() returns";
    if (s.has(flag_fin))
        return me.half_closed ? "shutdown(SHUT_WR)" : "close()";
    if (s.length > 0)
        return "write()";
    return "";
}

std::string ladder_svg(const std::vector<Rung> &rungs, const Tracker &tracker)
{
    std::string panels;
    int top = 0;
    for (const auto &c : tracker.connections()) {
        int height = 0;
        panels += panel(c, rungs, top, &height);
        top += height;
    }
    if (panels.empty())
        panels = "<text x=\"20\" y=\"40\">no TCP segments captured</text>\n";
    const int total = top > 60 ? top : 60;
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(width) + "\" height=\"" + num(total) +
           "\" viewBox=\"0 0 " + num(width) + " " + num(total) + "\">\n<style>" + style +
           "</style>\n<defs><marker id=\"head\" markerWidth=\"10\" markerHeight=\"8\" refX=\"9\" refY=\"4\" "
           "orient=\"auto\"><path d=\"M0,0 L10,4 L0,8 z\" fill=\"#333\"/></marker></defs>\n"
           "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n" + panels + "</svg>\n";
}

std::string ladder_html(const std::vector<Rung> &rungs, const Tracker &tracker)
{
    std::string svg = ladder_svg(rungs, tracker);
    svg.erase(0, svg.find("<svg"));  // inline: no XML declaration
    return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>tcpview ladder</title></head><body>\n"
           "<h1>tcpview: the connections as a ladder diagram</h1>\n<ul>\n"
           "<li>left: the client's timeline, right: the server's; time goes down</li>\n"
           "<li>one arrow per segment, labelled [flags] seq, ack, length (relative numbers)</li>\n"
           "<li>green, beside the sender: the socket call behind the segment</li>\n"
           "<li>red, thick: RST; orange, dashed: retransmission; thick blue: a run of segments "
           "folded into one arrow (xN)</li>\n</ul>\n" + svg + "</body></html>\n";
}

}  // namespace wire
