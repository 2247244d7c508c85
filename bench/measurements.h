#pragma once

// One function per measurement of issue #5. Each runs its own stores in
// temporary directories, compares with its raw SQLite baseline where there
// is one, and adds its rows to the table (an ERROR row when it cannot run).

namespace cqrs::bench {

struct BenchOptions;
class ResultTable;

/// 1. PlaceOrder throughput through the CommandBus vs raw sqlite3 inserts.
void benchPlaceOrder(const BenchOptions& options, ResultTable& table);
/// 2. Command commit latency (submit -> commit) at 1,000 orders/s.
void benchCommitLatency(const BenchOptions& options, ResultTable& table);
/// 3. Projector catch-up and rebuild vs a raw sqlite3 fold.
void benchProjector(const BenchOptions& options, ResultTable& table);
/// 4. Visibility latency (commit -> applied) at 5,000 orders/s.
void benchVisibility(const BenchOptions& options, ResultTable& table);
/// 5. Checkout p99 under analytics load, CRUD vs CQRS (physical), WAL size.
void benchContention(const BenchOptions& options, ResultTable& table);
/// 6. Longest GUI event-loop stall while 5,000 orders/s stream in.
void benchGuiStall(const BenchOptions& options, ResultTable& table);
/// 7. RSS growth over a long run at 1,000 orders/s.
void benchMemory(const BenchOptions& options, ResultTable& table);
/// 8. CPU per command with and without receipt recording.
void benchReceiptCost(const BenchOptions& options, ResultTable& table);

} // namespace cqrs::bench
