#include "write/demodata.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace cqrs::DemoData {

namespace {
const QUuid seedNamespace = QUuid::fromString(u"{5b0b8d8e-5c1e-4c43-9a1b-63a4f3f9d1a7}");

CommandMeta seedMeta(const QString& key)
{
    return CommandMeta{QUuid::createUuidV5(seedNamespace, key), CommandOrigin::Seed};
}
} // namespace

QList<Command> seedCommands(QString* error)
{
    QFile file(QStringLiteral(":/seed/catalog.json"));
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("The demo catalog is missing from this build (%1).")
                     .arg(file.fileName());
        return {};
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = QStringLiteral("The demo catalog is not valid JSON: %1").arg(parseError.errorString());
        return {};
    }
    QList<Command> commands;
    const QJsonObject root = document.object();
    for (const QJsonValue& value : root.value(QStringLiteral("products")).toArray()) {
        const QJsonObject p = value.toObject();
        const QString sku = p.value(QStringLiteral("sku")).toString();
        commands.append(AddProduct{seedMeta(QStringLiteral("product:") + sku), sku,
                                   p.value(QStringLiteral("name")).toString(),
                                   p.value(QStringLiteral("category")).toString(),
                                   p.value(QStringLiteral("price_cents")).toInteger(),
                                   p.value(QStringLiteral("stock")).toInt()});
    }
    for (const QJsonValue& value : root.value(QStringLiteral("customers")).toArray()) {
        const QJsonObject c = value.toObject();
        const QString email = c.value(QStringLiteral("email")).toString();
        commands.append(RegisterCustomer{seedMeta(QStringLiteral("customer:") + email),
                                         c.value(QStringLiteral("name")).toString(), email,
                                         c.value(QStringLiteral("city")).toString()});
    }
    if (commands.isEmpty())
        *error = QStringLiteral("The demo catalog holds no products or customers.");
    return commands;
}

} // namespace cqrs::DemoData
