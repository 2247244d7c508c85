#include "write/handlers/commandcontext.h"

namespace cqrs {

CommandResult storeFailure(const QString& error)
{
    return CommandResult::failed(
        QStringLiteral("The write store failed: %1. Nothing was changed.").arg(error));
}

} // namespace cqrs
