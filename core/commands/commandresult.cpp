#include "commands/commandresult.h"

namespace cqrs {

CommandResult CommandResult::rejected(QString reason, QString field)
{
    CommandResult result;
    result.status = Status::Rejected;
    result.reason = std::move(reason);
    result.field = std::move(field);
    return result;
}

CommandResult CommandResult::failed(QString reason)
{
    CommandResult result;
    result.status = Status::Failed;
    result.reason = std::move(reason);
    return result;
}

CommandResult CommandResult::acceptedFor(qint64 entityId)
{
    CommandResult result;
    result.status = Status::Accepted;
    result.entityId = entityId;
    return result;
}

QJsonObject CommandResult::toJson() const
{
    const QString statusName = status == Status::Accepted   ? QStringLiteral("accepted")
                               : status == Status::Rejected ? QStringLiteral("rejected")
                                                            : QStringLiteral("failed");
    return QJsonObject{{QStringLiteral("status"), statusName},
                       {QStringLiteral("commandId"), commandId.toString(QUuid::WithoutBraces)},
                       {QStringLiteral("reason"), reason},
                       {QStringLiteral("field"), field},
                       {QStringLiteral("entityId"), entityId},
                       {QStringLiteral("firstPosition"), firstPosition},
                       {QStringLiteral("lastPosition"), lastPosition}};
}

CommandResult CommandResult::fromJson(const QJsonObject& object)
{
    CommandResult result;
    const QString statusName = object.value(QStringLiteral("status")).toString();
    result.status = statusName == QStringLiteral("accepted")   ? Status::Accepted
                    : statusName == QStringLiteral("rejected") ? Status::Rejected
                                                               : Status::Failed;
    result.commandId = QUuid::fromString(object.value(QStringLiteral("commandId")).toString());
    result.reason = object.value(QStringLiteral("reason")).toString();
    result.field = object.value(QStringLiteral("field")).toString();
    result.entityId = object.value(QStringLiteral("entityId")).toInteger();
    result.firstPosition = object.value(QStringLiteral("firstPosition")).toInteger();
    result.lastPosition = object.value(QStringLiteral("lastPosition")).toInteger();
    return result;
}

} // namespace cqrs
