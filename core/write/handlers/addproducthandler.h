#pragma once

#include "commands/commandresult.h"
#include "commands/commands.h"

namespace cqrs {

struct CommandContext;

/// AddProduct: a product under a SKU no other product has, with a name, a
/// category, a price and its opening stock; appends ProductAdded.
class AddProductHandler final
{
public:
    static CommandResult handle(const AddProduct& command, CommandContext& context);
};

} // namespace cqrs
