#pragma once

#include "commands/commands.h"

#include <QList>
#include <QString>

namespace cqrs::DemoData {

/// The commands that create the demo catalog and customers, read from the
/// seed file compiled into the program (resources/seed/catalog.json).
/// Command ids are derived from the SKU or e-mail (UUID v5), so seeding twice
/// is harmless: the second run is answered from the idempotency store.
QList<Command> seedCommands(QString* error);

} // namespace cqrs::DemoData
