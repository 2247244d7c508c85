#pragma once

#include "commands/commandresult.h"
#include "commands/commands.h"

namespace cqrs {

struct CommandContext;

/// DiscontinueProduct: a product is no longer sold; appends ProductDiscontinued.
class DiscontinueProductHandler final
{
public:
    static CommandResult handle(const DiscontinueProduct& command, CommandContext& context);
};

} // namespace cqrs
