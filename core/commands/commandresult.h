#pragma once

#include <QJsonObject>
#include <QMetaType>
#include <QString>
#include <QUuid>

namespace cqrs {

/// The answer to one command, as a value that may cross threads.
///
/// Accepted: the id of the entity it created or changed and the positions of
/// the events it appended (read-your-writes waits for lastPosition).
/// Rejected: a reason a person can read, and the field it concerns.
/// Failed: the store could not commit; nothing was changed.
struct CommandResult
{
    enum class Status { Accepted, Rejected, Failed };

    Status status = Status::Failed;
    QUuid commandId;
    QString reason;
    /// Which input the reason is about: "customer", "lines", "line:2:quantity",
    /// "line:0:product", "line:1:price", "price", "reason", "quantity", "name",
    /// "email", "order", "product", "version" or empty.
    QString field;
    qint64 entityId = 0;
    /// For a stale shown price: the price the order would cost now, so a
    /// form can offer it without parsing the reason (0 otherwise).
    qint64 currentPriceCents = 0;
    qint64 firstPosition = 0;
    qint64 lastPosition = 0;
    /// True when this answer was replayed for a command id seen before.
    bool duplicate = false;
    /// Monotonic timestamps (ns): submit() call and the commit that answered it.
    qint64 submittedNs = 0;
    qint64 committedNs = 0;

    bool accepted() const { return status == Status::Accepted; }
    double latencyMs() const { return (committedNs - submittedNs) / 1e6; }

    static CommandResult rejected(QString reason, QString field = {});
    static CommandResult failed(QString reason);
    static CommandResult acceptedFor(qint64 entityId);

    /// The stored form used for idempotent replies (timestamps are not kept).
    QJsonObject toJson() const;
    /// The same stored form as compact UTF-8 JSON, appended to *out: the very
    /// bytes QJsonDocument(toJson()).toJson(Compact) gives, without building
    /// the object (the write path stores one per accepted command).
    void appendJson(QByteArray* out) const;
    static CommandResult fromJson(const QJsonObject& object);
};

} // namespace cqrs

Q_DECLARE_METATYPE(cqrs::CommandResult)
