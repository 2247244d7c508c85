#pragma once

#include "commands/commandresult.h"
#include "commands/commands.h"

namespace cqrs {

struct CommandContext;

/// RegisterCustomer: a customer with a name and, optionally, an e-mail address
/// and a city; appends CustomerRegistered.
class RegisterCustomerHandler final
{
public:
    static CommandResult handle(const RegisterCustomer& command, CommandContext& context);
};

} // namespace cqrs
