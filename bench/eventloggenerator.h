#pragma once

#include "write/catalogsnapshot.h"

#include <QString>

namespace cqrs::bench {

struct GeneratedLog
{
    qint64 head = 0;
    qint64 ordersPlaced = 0;
    qint64 ordersCancelled = 0;
    qint64 restocks = 0;
};

/// Appends `count` events to the log of a lab-created write.db, straight
/// through sqlite3: OrderPlaced (95%), OrderCancelled of an earlier order
/// (4%) and ProductRestocked (1%), with exactly the payloads the write model
/// writes. Only the event log is filled (projections read nothing else),
/// which makes a million-event log take seconds instead of minutes; the
/// projector bench checks the folded views against these counts.
GeneratedLog generateEventLog(const QString& writeDbPath, const CatalogSnapshot& catalog,
                              qint64 count, quint32 seed);

} // namespace cqrs::bench
