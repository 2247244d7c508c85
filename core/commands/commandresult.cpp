#include "commands/commandresult.h"

#include "events/jsonwriter.h"

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

namespace {
QString statusText(CommandResult::Status status)
{
    return status == CommandResult::Status::Accepted   ? QStringLiteral("accepted")
           : status == CommandResult::Status::Rejected ? QStringLiteral("rejected")
                                                       : QStringLiteral("failed");
}
} // namespace

QJsonObject CommandResult::toJson() const
{
    return QJsonObject{{QStringLiteral("status"), statusText(status)},
                       {QStringLiteral("commandId"), commandId.toString(QUuid::WithoutBraces)},
                       {QStringLiteral("reason"), reason},
                       {QStringLiteral("field"), field},
                       {QStringLiteral("entityId"), entityId},
                       {QStringLiteral("firstPosition"), firstPosition},
                       {QStringLiteral("lastPosition"), lastPosition}};
}

void CommandResult::appendJson(QByteArray* out) const
{
    // The keys in QJsonObject's (sorted) order.
    JsonWriter json(out);
    json.beginObject();
    json.key("commandId").valueUtf8(commandId.toByteArray(QUuid::WithoutBraces));
    json.key("entityId").value(entityId);
    json.key("field").value(field);
    json.key("firstPosition").value(firstPosition);
    json.key("lastPosition").value(lastPosition);
    json.key("reason").value(reason);
    json.key("status").value(statusText(status));
    json.endObject();
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
