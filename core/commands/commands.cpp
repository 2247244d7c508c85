#include "commands/commands.h"

#include <QDateTime>
#include <QRandomGenerator>

#include <atomic>

namespace cqrs {

QUuid newCommandId()
{
    // 48 bits of milliseconds and a 12-bit counter, advanced atomically so
    // ids from every thread stay strictly increasing (a burst of more than
    // 4,096 in one millisecond borrows from the next one).
    static std::atomic<quint64> last{0};
    const quint64 now = quint64(QDateTime::currentMSecsSinceEpoch()) << 12;
    quint64 previous = last.load(std::memory_order_relaxed);
    quint64 next = 0;
    do {
        next = std::max(previous + 1, now);
    } while (!last.compare_exchange_weak(previous, next, std::memory_order_relaxed));
    const quint64 ms = next >> 12;
    const quint64 random = QRandomGenerator::global()->generate64();
    uchar tail[8];
    for (int i = 0; i < 8; ++i)
        tail[i] = uchar(random >> (8 * i));
    tail[0] = uchar(0x80 | (tail[0] & 0x3F)); // RFC variant
    return QUuid(uint(ms >> 16), ushort(ms & 0xFFFF), ushort(0x7000 | (next & 0xFFF)), tail[0],
                 tail[1], tail[2], tail[3], tail[4], tail[5], tail[6], tail[7]);
}

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
