// SPDX-License-Identifier: MIT
// The table of readline's per-descriptor buffers, and readline_forget,
// which Close calls.  See readline_buffer.h for why this is its own file.
#include "readline_buffer.h"

#include <memory>
#include <mutex>
#include <unordered_map>

namespace {

std::mutex table_mutex;  // guards the table, not the buffers
std::unordered_map<int, std::unique_ptr<unp::detail::LineBuffer>> table;

}  // namespace

namespace unp::detail {

LineBuffer &line_buffer(int fd)
{
    std::lock_guard lock(table_mutex);
    auto &slot = table[fd];
    if (!slot)
        slot = std::make_unique<LineBuffer>();
    return *slot;
}

}  // namespace unp::detail

extern "C" void readline_forget(int fd)
{
    std::lock_guard lock(table_mutex);
    table.erase(fd);
}
