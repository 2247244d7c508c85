#pragma once

#include "commands/commandbus.h"

#include <QObject>

namespace cqrs::test {

/// Re-emits CommandBus::committed() in the thread that owns the relay.
///
/// The bus emits committed() from its worker thread, and QSignalSpy (Qt 6.4)
/// appends to its list without a lock, so spying on the bus directly would
/// race with the test thread reading the spy. Connected through this relay the
/// signal is queued to the test thread, where QTRY_* processes it safely and
/// in emission order.
class CommittedRelay final : public QObject
{
    Q_OBJECT

public:
    explicit CommittedRelay(CommandBus& bus)
    {
        connect(&bus, &CommandBus::committed, this, &CommittedRelay::committed,
                Qt::QueuedConnection);
    }

Q_SIGNALS:
    void committed(qint64 lastPosition);
};

} // namespace cqrs::test
