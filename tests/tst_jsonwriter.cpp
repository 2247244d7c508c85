// JsonWriter writes the event payloads and idempotency answers by hand; the
// read side parses them with QJsonDocument. These tests hold the writer to
// QJsonDocument's own compact output, byte for byte, and check that the text
// parses back to the same values, for strings that need escaping.
#include "commands/commandresult.h"
#include "events/jsonwriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace cqrs;

namespace {

QByteArray qtCompact(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray written(QStringView text)
{
    QByteArray out;
    JsonWriter(&out).beginObject().key("k").value(text).endObject();
    return out;
}

QByteArray writtenUtf8(QByteArrayView utf8)
{
    QByteArray out;
    JsonWriter(&out).beginObject().key("k").valueUtf8(utf8).endObject();
    return out;
}

} // namespace

class TestJsonWriter final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void stringsAsQJsonDocumentWritesThem_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << QStringLiteral("");
        QTest::newRow("null") << QString();
        QTest::newRow("plain") << QStringLiteral("Blue mug");
        QTest::newRow("quotes") << QStringLiteral("The \"best\" mug");
        QTest::newRow("backslashes") << QStringLiteral("C:\\temp\\ and \\\\ \\\"");
        QTest::newRow("slash") << QStringLiteral("a/b </script>");
        QTest::newRow("short escapes") << QStringLiteral("tab\there\nnew\rcr\bbs\fff");
        QString controls;
        for (char16_t c = 0; c < 0x20; ++c)
            controls.append(QChar(c));
        controls.append(QChar(0x7f));
        QTest::newRow("all control characters and DEL") << controls;
        QTest::newRow("latin-1") << QStringLiteral("Café crème, Größe, ½");
        QTest::newRow("bmp") << QStringLiteral("Кружка – €12 — 茶杯 ‘’ \u2028\u2029 \uFEFF \uFFFD");
        QTest::newRow("astral") << QStringLiteral("Mug 😀 𝄞 🇩🇪");
        QTest::newRow("mixed") << QStringLiteral("\"😀\"\\\n\u0001é");
    }

    void stringsAsQJsonDocumentWritesThem()
    {
        QFETCH(QString, text);
        const QByteArray expected = qtCompact(QJsonObject{{QStringLiteral("k"), text}});
        QCOMPARE(written(text), expected);
        // SQLite hands text back as UTF-8; that path must write the same.
        QCOMPARE(writtenUtf8(text.toUtf8()), expected);
        // And the readers get the very text back.
        QJsonParseError error;
        const QJsonDocument parsed = QJsonDocument::fromJson(written(text), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(parsed.object().value(QStringLiteral("k")).toString(), text.isNull() ? QStringLiteral("") : text);
    }

    void loneSurrogatesAsQJsonDocumentWritesThem_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("high alone") << QString(QChar(0xd83d));
        QTest::newRow("low alone") << QString(QChar(0xde00));
        QTest::newRow("reversed pair") << (QString(QChar(0xde00)) + QChar(0xd83d));
        QTest::newRow("high at end") << (QStringLiteral("mug") + QChar(0xd83d));
    }

    void loneSurrogatesAsQJsonDocumentWritesThem()
    {
        QFETCH(QString, text);
        QCOMPARE(written(text), qtCompact(QJsonObject{{QStringLiteral("k"), text}}));
        QJsonParseError error;
        QJsonDocument::fromJson(written(text), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
    }

    void invalidUtf8IsDecodedLikeFromUtf8()
    {
        for (const QByteArray& bytes :
             {QByteArray("\xff"), QByteArray("mug \xc3"), QByteArray("\xed\xa0\x80"),
              QByteArray("ok \xe2\x82 then \"quoted\"")}) {
            const QByteArray expected =
                qtCompact(QJsonObject{{QStringLiteral("k"), QString::fromUtf8(bytes)}});
            QCOMPARE(writtenUtf8(bytes), expected);
            QJsonParseError error;
            QJsonDocument::fromJson(writtenUtf8(bytes), &error);
            QCOMPARE(error.error, QJsonParseError::NoError);
        }
    }

    void nestedObjectsArraysAndNumbers()
    {
        // An OrderPlaced-shaped payload, keys in sorted order as QJsonObject keeps them.
        QByteArray out = "prefix kept:";
        JsonWriter json(&out);
        json.beginObject()
            .key("customerId").value(qint64(7))
            .key("customerName").value(QStringLiteral("Zoë \"Z\" O'Neil"))
            .key("empty").beginArray().endArray()
            .key("lines").beginArray();
        for (int i = 0; i < 3; ++i) {
            json.beginObject()
                .key("name").value(QStringLiteral("Item %1").arg(i))
                .key("quantity").value(i + 1)
                .key("stockAfter").value(-i)
                .endObject();
        }
        json.endArray()
            .key("nothing").beginObject().endObject()
            .key("placedAtMs").value(Q_INT64_C(1'790'000'000'123))
            .key("smallest").value(std::numeric_limits<qint64>::min() + 1)
            .key("totalCents").value(std::numeric_limits<qint64>::max())
            .endObject();

        QJsonArray lines;
        for (int i = 0; i < 3; ++i)
            lines.append(QJsonObject{{QStringLiteral("name"), QStringLiteral("Item %1").arg(i)},
                                     {QStringLiteral("quantity"), i + 1},
                                     {QStringLiteral("stockAfter"), -i}});
        const QJsonObject expected{
            {QStringLiteral("customerId"), 7},
            {QStringLiteral("customerName"), QStringLiteral("Zoë \"Z\" O'Neil")},
            {QStringLiteral("empty"), QJsonArray()},
            {QStringLiteral("lines"), lines},
            {QStringLiteral("nothing"), QJsonObject()},
            {QStringLiteral("placedAtMs"), Q_INT64_C(1'790'000'000'123)},
            {QStringLiteral("smallest"), std::numeric_limits<qint64>::min() + 1},
            {QStringLiteral("totalCents"), std::numeric_limits<qint64>::max()}};
        QCOMPARE(out, QByteArray("prefix kept:") + qtCompact(expected));
    }

    void commandResultAsToJsonWritesIt_data()
    {
        QTest::addColumn<CommandResult>("result");
        CommandResult accepted = CommandResult::acceptedFor(41);
        accepted.commandId = QUuid::fromString(QStringLiteral("0190f3a4-7b1c-7d2e-8f00-0123456789ab"));
        accepted.firstPosition = 9;
        accepted.lastPosition = 12;
        QTest::newRow("accepted") << accepted;
        CommandResult rejected = CommandResult::rejected(
            QStringLiteral("The price of \"Blue mug\" changed from 9,50 € to 10,00 €.\n"),
            QStringLiteral("line:0:price"));
        rejected.commandId = QUuid::createUuid();
        QTest::newRow("rejected") << rejected;
        QTest::newRow("failed, no id") << CommandResult::failed(QStringLiteral("disk \\ full\t😀"));
    }

    void commandResultAsToJsonWritesIt()
    {
        QFETCH(CommandResult, result);
        QByteArray text;
        result.appendJson(&text);
        QCOMPARE(text, qtCompact(result.toJson()));
        const CommandResult back = CommandResult::fromJson(QJsonDocument::fromJson(text).object());
        QCOMPARE(back.status, result.status);
        QCOMPARE(back.commandId, result.commandId);
        QCOMPARE(back.reason, result.reason);
        QCOMPARE(back.field, result.field);
        QCOMPARE(back.entityId, result.entityId);
        QCOMPARE(back.firstPosition, result.firstPosition);
        QCOMPARE(back.lastPosition, result.lastPosition);
    }
};

QTEST_GUILESS_MAIN(TestJsonWriter)
#include "tst_jsonwriter.moc"
