#pragma once

#include "commands/commandresult.h"
#include "write/catalogsnapshot.h"

#include <QString>

namespace cqrs {

class EventOutbox;
class PreparedQueries;
class ProductLoader;

/// All a command handler sees of the write model: the QSqlQuery statements
/// of the write connection, the product loader, the outbox its events go to
/// (with their payload writer), the counters of the open transaction and the
/// time of the command. WriteModel makes one per command, inside the
/// command's transaction: whatever the handler writes is undone with the
/// command when it is not accepted, counters included.
struct CommandContext final
{
    PreparedQueries& queries;
    ProductLoader& products;
    EventOutbox& outbox;
    WriteCounters& counters;
    qint64 nowMs; // wall clock, read once per command
};

/// The answer for a command the store failed: nothing was changed.
CommandResult storeFailure(const QString& error);

} // namespace cqrs
