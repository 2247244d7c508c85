#pragma once

#include "commands/commandresult.h"
#include "commands/commands.h"
#include "read/queryresults.h"

#include <QObject>
#include <QPointer>

namespace cqrs {
class LabSession;
}

namespace cqrs::ui {

/// Sends the window's commands to the session and routes the answers: a new
/// customer's RegisterCustomer before their order, the order's answer to the
/// form, an accepted order to the dashboard (pending until its view has it),
/// and the position of the person's own last write (read-your-writes waits
/// for it). Answers from a session that has been replaced are not routed.
class CommandSender final : public QObject {
    Q_OBJECT

public:
    explicit CommandSender(QObject* parent = nullptr);

    void setSession(LabSession* session);
    /// The newest position a command of this window was accepted at.
    qint64 ownPosition() const { return m_ownPosition; }

    /// `newCustomerName` set: register them first, then place the order for them.
    void placeOrder(const PlaceOrder& order, const QString& newCustomerName,
                    const QString& customerName);
    void sendAdminCommand(const Command& command, const QString& what);

Q_SIGNALS:
    void registrationAnswered(const cqrs::CommandResult& result, const QString& name);
    void orderAnswered(const cqrs::CommandResult& result);
    /// An accepted order, as the command's answer describes it.
    void orderAccepted(const cqrs::OrderSummaryRow& row);
    void adminAnswered(const QString& what, const cqrs::CommandResult& result);
    /// Every command sent to the session, by a ticket (> 0) of this sender;
    /// its answer names the position it committed at (0: it appended none).
    void commandSubmitted(int ticket);
    void commandAnswered(int ticket, qint64 position);

private:
    void submitOrder(PlaceOrder order, const QString& customerName);
    /// Submits `command` under a new ticket; `answered` gets its result.
    template <typename Answered> void send(const Command& command, Answered answered);
    void noteAccepted(const CommandResult& result);

    QPointer<LabSession> m_session;
    quint64 m_generation = 0;
    qint64 m_ownPosition = 0;
    int m_nextTicket = 1;
};

} // namespace cqrs::ui
