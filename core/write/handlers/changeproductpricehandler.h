#pragma once

#include "commands/commandresult.h"
#include "commands/commands.h"

namespace cqrs {

struct CommandContext;

/// ChangeProductPrice: a new price, with a reason, for a product still sold;
/// appends ProductPriceChanged.
class ChangeProductPriceHandler final
{
public:
    static CommandResult handle(const ChangeProductPrice& command, CommandContext& context);
};

} // namespace cqrs
