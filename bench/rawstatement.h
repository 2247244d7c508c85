#pragma once

#include <QtGlobal>

#include <string_view>

struct sqlite3_stmt;

namespace cqrs::bench {

class RawDatabase;

/// A prepared sqlite3 statement: bind by index (1-based), step, reset.
/// Text is bound with SQLITE_STATIC (no copy, as a tuned raw program would):
/// the caller keeps the bytes alive until the step.
class RawStatement final
{
public:
    RawStatement(RawDatabase& db, const char* sql);
    ~RawStatement();
    RawStatement(const RawStatement&) = delete;
    RawStatement& operator=(const RawStatement&) = delete;

    RawStatement& bind(int index, qint64 value);
    RawStatement& bind(int index, std::string_view utf8);
    /// Steps once; true when a row is available, false when done. Throws on error.
    bool step();
    /// Steps to the end and resets (for statements without results).
    void run();
    void reset();

    qint64 int64(int column) const;
    std::string_view text(int column) const;
    bool isNull(int column) const;

private:
    RawDatabase& m_db;
    const char* m_sql;
    sqlite3_stmt* m_stmt = nullptr;
};

} // namespace cqrs::bench
