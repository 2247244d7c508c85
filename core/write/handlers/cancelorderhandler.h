#pragma once

#include "commands/commandresult.h"
#include "commands/commands.h"

namespace cqrs {

struct CommandContext;

/// CancelOrder: an order not cancelled yet; its lines' quantities go back to
/// stock. Appends OrderCancelled.
class CancelOrderHandler final
{
public:
    static CommandResult handle(const CancelOrder& command, CommandContext& context);
};

} // namespace cqrs
