#include "write/handlers/registercustomerhandler.h"

#include "write/eventoutbox.h"
#include "write/handlers/commandcontext.h"
#include "write/preparedqueries.h"

namespace cqrs {

namespace {

// A null QString binds as SQL NULL, which the NOT NULL text columns refuse;
// optional text (a customer's e-mail or city) is stored as '' instead.
QString textOrEmpty(const QString& text)
{
    return text.isNull() ? QStringLiteral("") : text;
}

} // namespace

CommandResult RegisterCustomerHandler::handle(const RegisterCustomer& command,
                                              CommandContext& context)
{
    const QString name = command.name.simplified();
    const QString email = command.email.trimmed();
    const QString city = command.city.simplified();
    if (name.isEmpty())
        return CommandResult::rejected(QStringLiteral("The customer's name is empty."),
                                       QStringLiteral("name"));
    if (name.size() > Limits::maxNameLength)
        return CommandResult::rejected(
            QStringLiteral("The name is too long (%1 characters; at most %2).")
                .arg(name.size())
                .arg(Limits::maxNameLength),
            QStringLiteral("name"));
    if (!email.isEmpty()
        && (!email.contains(u'@') || email.contains(u' ') || email.startsWith(u'@')
            || email.endsWith(u'@') || email.size() > 254))
        return CommandResult::rejected(QStringLiteral("\"%1\" is not an email address.").arg(email),
                                       QStringLiteral("email"));

    QString error;
    QSqlQuery& insert = context.queries.prepared(QStringLiteral(
        "INSERT INTO customers (name, email, city, registered_at_ms) VALUES (?, ?, ?, ?)"));
    insert.addBindValue(name);
    insert.addBindValue(textOrEmpty(email));
    insert.addBindValue(textOrEmpty(city));
    insert.addBindValue(context.nowMs);
    if (!context.queries.run(insert, &error))
        return storeFailure(error);
    const qint64 id = insert.lastInsertId().toLongLong();
    context.outbox.payload()
        .beginObject()
        .key("city").value(city)
        .key("customerId").value(id)
        .key("email").value(email)
        .key("name").value(name)
        .key("registeredAtMs").value(context.nowMs)
        .endObject();
    if (!context.outbox.append(EventType::CustomerRegistered, id, &error))
        return storeFailure(error);
    ++context.counters.customers;
    return CommandResult::acceptedFor(id);
}

} // namespace cqrs
