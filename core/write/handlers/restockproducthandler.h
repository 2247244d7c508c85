#pragma once

#include "commands/commandresult.h"
#include "commands/commands.h"

namespace cqrs {

struct CommandContext;

/// RestockProduct: more units of a product still sold; appends ProductRestocked.
class RestockProductHandler final
{
public:
    static CommandResult handle(const RestockProduct& command, CommandContext& context);
};

} // namespace cqrs
