#pragma once

#include "events/event.h"
#include "read/queryresults.h"

#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace cqrs {

/// One projection's part in a receipt.
struct ReceiptStep
{
    QString projection;
    QString title;
    /// When it committed the event, after the event's own commit; unset
    /// while it has not applied it.
    std::optional<double> afterCommitMs;
};

/// The consistency receipt of one event: the event itself, and the moments
/// it passed through the lab as they were recorded (ReceiptRecorder). A
/// query of core, so every client gets the same answer.
struct ConsistencyReceipt
{
    QueryMeta meta;
    /// The event at the position asked for; false when the log has none.
    bool found = false;
    Event event;
    /// Whether its times were kept: only the newest positions are. When
    /// false, no time below means anything, and none is ever estimated.
    bool recorded = false;
    /// The oldest position whose times may still be kept.
    qint64 oldestRecorded = 0;
    /// Monotonic clock (monotonicNowNs), so a client in this process can
    /// measure its own moments against them.
    qint64 submittedNs = 0;
    qint64 committedNs = 0;
    double submitToCommitMs = 0;
    QList<ReceiptStep> projections;
    /// How long a read-your-writes query waited for the event, if one did.
    std::optional<double> readWaitMs;

    /// Every projection has applied it.
    bool complete() const;
};

} // namespace cqrs

Q_DECLARE_METATYPE(cqrs::ConsistencyReceipt)
