#include "ui/commandsender.h"

#include "lab/labsession.h"
#include "util/monotonicclock.h"
#include "util/whenready.h"

namespace cqrs::ui {

namespace {
CommandResult noSession() {
    return CommandResult::failed(
        QStringLiteral("The lab is not open (it is opening, restarting or closing)."));
}
} // namespace

CommandSender::CommandSender(QObject* parent)
    : QObject(parent) {}

void CommandSender::setSession(LabSession* session) {
    m_session = session;
    ++m_generation;
    m_ownPosition = 0; // positions belong to one store
}

template <typename Answered> void CommandSender::send(const Command& command, Answered answered) {
    const int ticket = m_nextTicket++;
    Q_EMIT commandSubmitted(ticket);
    whenReady(m_session->submit(command), this,
              [this, ticket, answered = std::move(answered),
               generation = m_generation](const CommandResult& result) {
                  const bool current = generation == m_generation;
                  Q_EMIT commandAnswered(ticket, current && result.accepted() && !result.duplicate
                                                     ? result.lastPosition
                                                     : 0);
                  answered(current, result);
              });
}

void CommandSender::noteAccepted(const CommandResult& result) {
    if (result.accepted())
        m_ownPosition = std::max(m_ownPosition, result.lastPosition);
}

void CommandSender::placeOrder(const PlaceOrder& order, const QString& newCustomerName,
                               const QString& customerName) {
    if (!m_session) {
        if (newCustomerName.isEmpty())
            Q_EMIT orderAnswered(noSession());
        else
            Q_EMIT registrationAnswered(noSession(), newCustomerName);
        return;
    }
    if (newCustomerName.isEmpty()) {
        submitOrder(order, customerName);
        return;
    }
    RegisterCustomer registration;
    registration.meta.origin = order.meta.origin;
    registration.name = newCustomerName;
    send(registration, [this, order, newCustomerName](bool current, const CommandResult& result) {
        if (!current)
            return Q_EMIT registrationAnswered(noSession(), newCustomerName);
        noteAccepted(result);
        Q_EMIT registrationAnswered(result, newCustomerName);
        if (!result.accepted())
            return;
        PlaceOrder forThem = order;
        forThem.customerId = result.entityId;
        submitOrder(forThem, newCustomerName);
    });
}

void CommandSender::submitOrder(PlaceOrder order, const QString& customerName) {
    if (!m_session)
        return Q_EMIT orderAnswered(noSession());
    send(order, [this, order, customerName](bool current, const CommandResult& result) {
        if (!current)
            return Q_EMIT orderAnswered(noSession());
        noteAccepted(result);
        Q_EMIT orderAnswered(result);
        if (!result.accepted() || result.duplicate)
            return;
        OrderSummaryRow row;
        row.orderId = result.entityId;
        row.customerId = order.customerId;
        row.customerName = customerName;
        row.lastPosition = result.lastPosition;
        row.lineCount = int(order.lines.size());
        row.status = QStringLiteral("placed");
        row.placedAtMs = wallNowMs();
        for (const OrderLineRequest& line : order.lines) {
            row.itemCount += line.quantity;
            row.totalCents += line.quantity * line.shownUnitPriceCents.value_or(0);
        }
        Q_EMIT orderAccepted(row);
    });
}

void CommandSender::sendAdminCommand(const Command& command, const QString& what) {
    if (!m_session)
        return Q_EMIT adminAnswered(what, noSession());
    send(command, [this, what](bool current, const CommandResult& result) {
        if (!current)
            return Q_EMIT adminAnswered(what, noSession());
        noteAccepted(result);
        Q_EMIT adminAnswered(what, result);
    });
}

} // namespace cqrs::ui
