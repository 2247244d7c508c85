#pragma once

#include <QString>

#include <stdexcept>

struct sqlite3;

namespace cqrs::bench {

/// A bench step failed; the message says which and why. Measurements catch
/// it and report an ERROR row instead of a number.
class BenchError final : public std::runtime_error
{
public:
    explicit BenchError(const QString& message)
        : std::runtime_error(message.toStdString())
    {
    }
};

/// A plain sqlite3 connection, opened with the same settings the lab's
/// SqlConnection uses (WAL, synchronous=NORMAL, foreign keys, busy timeout),
/// so the baseline differs from the lab only in the code path, not in the
/// durability or integrity it asks SQLite for.
class RawDatabase final
{
public:
    explicit RawDatabase(const QString& path);
    ~RawDatabase();
    RawDatabase(const RawDatabase&) = delete;
    RawDatabase& operator=(const RawDatabase&) = delete;

    sqlite3* handle() const { return m_db; }
    /// Runs statements without results; throws BenchError on failure.
    void exec(const char* sql);
    qint64 lastInsertRowId() const;
    QString errorMessage() const;

private:
    sqlite3* m_db = nullptr;
};

} // namespace cqrs::bench
