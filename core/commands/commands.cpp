#include "commands/commands.h"

namespace cqrs {

QString originName(CommandOrigin origin)
{
    switch (origin) {
    case CommandOrigin::Form:
        return QStringLiteral("form");
    case CommandOrigin::Simulator:
        return QStringLiteral("simulator");
    case CommandOrigin::Api:
        return QStringLiteral("api");
    case CommandOrigin::Seed:
        return QStringLiteral("seed");
    case CommandOrigin::Test:
        return QStringLiteral("test");
    }
    return QStringLiteral("form");
}

std::optional<CommandOrigin> originFromName(const QString& name)
{
    for (CommandOrigin origin : {CommandOrigin::Form, CommandOrigin::Simulator, CommandOrigin::Api,
                                 CommandOrigin::Seed, CommandOrigin::Test}) {
        if (originName(origin) == name)
            return origin;
    }
    return std::nullopt;
}

const CommandMeta& metaOf(const Command& command)
{
    return std::visit([](const auto& c) -> const CommandMeta& { return c.meta; }, command);
}

QString commandName(const Command& command)
{
    struct Namer
    {
        QString operator()(const RegisterCustomer&) const { return QStringLiteral("RegisterCustomer"); }
        QString operator()(const AddProduct&) const { return QStringLiteral("AddProduct"); }
        QString operator()(const PlaceOrder&) const { return QStringLiteral("PlaceOrder"); }
        QString operator()(const CancelOrder&) const { return QStringLiteral("CancelOrder"); }
        QString operator()(const ChangeProductPrice&) const
        {
            return QStringLiteral("ChangeProductPrice");
        }
        QString operator()(const RestockProduct&) const { return QStringLiteral("RestockProduct"); }
        QString operator()(const DiscontinueProduct&) const
        {
            return QStringLiteral("DiscontinueProduct");
        }
    };
    return std::visit(Namer{}, command);
}

} // namespace cqrs
