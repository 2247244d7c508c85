// Search: whatever a person types (quotes, FTS operators, SQL, unicode,
// control characters, 10,000 characters, nothing) the answer is a list of
// hits or an empty list, never an error, in the FTS index (CQRS) and in the
// LIKE scan over the write tables (CRUD). "alice mug" finds Alice's orders
// with a Blue Mug and nobody else's. And the pieces of SearchQuery in
// isolation.
#include "readsupport.h"

#include "projections/readstore.h"
#include "read/searchquery.h"
#include "util/sqlconnection.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace cqrs;
using namespace cqrs::test;

namespace {

constexpr qint64 blueMug = 1;
constexpr qint64 teaTowel = 5;
constexpr qint64 notebook = 6;
constexpr qint64 alice = 1; // Alice Andersen
constexpr qint64 bob = 2;

QString fromUtf16(std::initializer_list<char16_t> units)
{
    QString text;
    for (char16_t unit : units)
        text.append(QChar(unit));
    return text;
}

QStringList hostileInputs()
{
    QStringList inputs{
        // quotes, balanced and not
        QStringLiteral("\""), QStringLiteral("\"\""), QStringLiteral("\"alice"), QStringLiteral("alice\""),
        QStringLiteral("\"alice mug"), QStringLiteral("'"), QStringLiteral("''"), QStringLiteral("'alice"),
        QStringLiteral("\"\"\"\"\""), QStringLiteral("\"mug\"*"), QStringLiteral("`mug`"),
        QStringLiteral("\\\"alice\\\""), QStringLiteral("a\"b\"c\"d"),
        // FTS5 syntax
        QStringLiteral("AND"), QStringLiteral("OR"), QStringLiteral("NOT"), QStringLiteral("NEAR"),
        QStringLiteral("alice AND mug"), QStringLiteral("alice OR"), QStringLiteral("OR alice"),
        QStringLiteral("NOT mug"), QStringLiteral("alice NOT"), QStringLiteral("NEAR(alice mug)"),
        QStringLiteral("NEAR(alice mug, 2)"), QStringLiteral("NEAR/2"), QStringLiteral("*"), QStringLiteral("mug*"),
        QStringLiteral("*mug"), QStringLiteral("^"), QStringLiteral("^mug"), QStringLiteral("mug^"),
        QStringLiteral(":"), QStringLiteral("title:mug"), QStringLiteral("body : alice"),
        QStringLiteral("{title body}: mug"), QStringLiteral("kind:order"), QStringLiteral("nosuchcolumn:x"),
        QStringLiteral("("), QStringLiteral(")"), QStringLiteral("(alice"), QStringLiteral("alice)"),
        QStringLiteral("((((mug"), QStringLiteral("-"), QStringLiteral("-mug"), QStringLiteral("alice -mug"),
        QStringLiteral("--"), QStringLiteral("+mug"), QStringLiteral("mug + alice"), QStringLiteral("{"),
        QStringLiteral("}"), QStringLiteral("[mug]"), QStringLiteral("a*b*c"), QStringLiteral("\"*\""),
        QStringLiteral("rank"), QStringLiteral("rv_search MATCH 'x'"), QStringLiteral("ALICE* OR mug^ NOT :"),
        // SQL and LIKE
        QStringLiteral("' OR '1'='1"), QStringLiteral("\" OR \"1\"=\"1"), QStringLiteral("1; DROP TABLE orders; --"),
        QStringLiteral("Robert'); DROP TABLE customers;--"), QStringLiteral("') UNION SELECT * FROM events --"),
        QStringLiteral("%"), QStringLiteral("_"), QStringLiteral("%_%"), QStringLiteral("\\"), QStringLiteral("\\%"),
        QStringLiteral("50%"), QStringLiteral("a_b"), QStringLiteral("ESCAPE '\\'"), QStringLiteral("/* */"),
        QStringLiteral("?"), QStringLiteral("?1 :name @p $x"), QStringLiteral("0x00"), QStringLiteral("NULL"),
        // unicode
        QStringLiteral("😀"), QStringLiteral("🫖 mug"), QStringLiteral("mug 😀"), QStringLiteral("👩‍👩‍👧‍👦"),
        QStringLiteral("مرحبا بالعالم"), QStringLiteral("שלום mug"), QStringLiteral("Ålice Möller"),
        QStringLiteral("e\u0301"), QStringLiteral("\u0301"), QStringLiteral("Z\u0324\u033a\u0326a\u0335\u0321l\u0336go"),
        QStringLiteral("\u200f\u202e mug \u202c"), QStringLiteral("\u200b"), QStringLiteral("mu\u200bg"),
        QStringLiteral("\ufeff"), QStringLiteral("\ufffd"), QStringLiteral("𝐀𝐥𝐢𝐜𝐞"), QStringLiteral("日本語 マグ"),
        QStringLiteral("ＡＬＩＣＥ"), QStringLiteral("\u3000alice\u3000mug\u3000"), QStringLiteral("\u00a0mug\u00a0"),
        QStringLiteral("ß"), QStringLiteral("İ"), QStringLiteral("²½"),
        fromUtf16({u'a', 0xD800}), fromUtf16({0xDC00, u'b'}), fromUtf16({0xD83D}), fromUtf16({0xFFFF, u'x'}),
        // NUL and control characters
        QString(QChar(0)), fromUtf16({u'a', 0, u'b'}), fromUtf16({u'm', u'u', u'g', 0}),
        QStringLiteral("\x01\x02\x03"), QStringLiteral("alice\x1b[31mmug"), QStringLiteral("\x7f"),
        QStringLiteral("\t\n\r\v\f"), QStringLiteral("\u0085\u2028\u2029"),
        // empty and whitespace
        QString(), QStringLiteral(""), QStringLiteral(" "), QStringLiteral("   \t  "),
    };
    // Long ones: one 10,000-character word, 10,000 characters of words, of
    // operators, and of emoji cut in the middle of a pair.
    inputs << QString(10'000, u'a');
    inputs << QStringLiteral("mug ").repeated(2'500);
    inputs << QStringLiteral("\"(*^:-").repeated(1'667).left(10'000);
    inputs << QStringLiteral("a") + QStringLiteral("😀").repeated(4'999) + QStringLiteral("b");
    inputs << QStringLiteral("x").repeated(63) + QStringLiteral("😀") + QStringLiteral(" mug");
    QString everything;
    for (int i = 0; i < 10'000; ++i)
        everything.append(QChar(char16_t(1 + (i * 7919) % 0xFFFE)));
    inputs << everything;
    return inputs;
}

/// Events for the search index alone, positions 1.., with awkward text.
EventList searchEvents()
{
    EventList events;
    const auto add = [&](EventType type, qint64 id, QJsonObject payload) {
        Event event;
        event.position = events.size() + 1;
        event.type = type;
        event.aggregateId = id;
        event.payload = std::move(payload);
        events.append(event);
    };
    const auto line = [](const QString& name, const QString& sku, const QString& category) {
        return QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("sku"), sku},
                           {QStringLiteral("category"), category}};
    };
    add(EventType::CustomerRegistered, 1,
        {{QStringLiteral("name"), QStringLiteral("O'Brien \"Bob\" 😀")}, {QStringLiteral("email"), QString()}});
    add(EventType::ProductAdded, 2,
        {{QStringLiteral("name"), QStringLiteral("Mug\tblue \\ ∑")}, {QStringLiteral("sku"), QStringLiteral("SKU-1")},
         {QStringLiteral("category"), QStringLiteral("Küche")}});
    add(EventType::OrderPlaced, 10,
        {{QStringLiteral("customerName"), fromUtf16({u'Z', u'o', 0x00EB, 0x0001, u' ', 0xD835, 0xDC00})},
         {QStringLiteral("lines"), QJsonArray{line(QStringLiteral("Mug"), QStringLiteral("S1"), QStringLiteral("c"))}}});
    add(EventType::OrderPlaced, 11,
        {{QStringLiteral("customerName"), QStringLiteral("Ann")},
         {QStringLiteral("lines"), QJsonArray{line(QStringLiteral("\"quoted\""), QStringLiteral("S2"), QString()),
                                               line(QStringLiteral("Pot"), QStringLiteral("S3"), QStringLiteral("d"))}}});
    add(EventType::OrderCancelled, 10, {});
    add(EventType::OrderPlaced, 12, {{QStringLiteral("customerName"), QString()}, {QStringLiteral("lines"), QJsonArray{}}});
    add(EventType::ProductDiscontinued, 2, {});
    add(EventType::OrderPlaced, 13, {{QStringLiteral("customerName"), QStringLiteral("Eve")}});
    return events;
}

/// Folds `events` into the search index of a new store at `path`, in
/// batches of `batchSize`; `before` runs first (after the table exists).
/// With `tidy`, the projection's upkeep runs after each commit, as a
/// projector runs it. Returns the error, or an empty string.
QString foldSearch(const QString& path, const EventList& events, int batchSize, const QString& before = {},
                   bool tidy = false)
{
    SqlConnection connection(QStringLiteral("fold"), path, SqlConnection::Role::Writer);
    QString error;
    if (!connection.open(&error))
        return error;
    SqlContext sql(connection.db()); // after the connection: destroyed first
    const auto projection = projectionNamed(QStringLiteral("search_index"));
    if (!ReadStore::prepare(sql, *projection, &error) || (!before.isEmpty() && !sql.exec(before, &error)))
        return error;
    for (qsizetype i = 0; i < events.size(); i += batchSize) {
        ChangeSet changes;
        qint64 checkpoint = 0;
        qint64 failedAt = 0;
        if (!sql.exec(QStringLiteral("BEGIN"), &error))
            return error;
        if (!ReadStore::applyBatch(sql, *projection, events.mid(i, batchSize), changes, &checkpoint, &failedAt, &error)) {
            sql.exec(QStringLiteral("ROLLBACK"), nullptr);
            return error;
        }
        if (!sql.exec(QStringLiteral("COMMIT"), &error))
            return error;
        if (tidy && !projection->tidy(sql, &error))
            return QStringLiteral("tidy: ") + error;
    }
    return {};
}

/// `count` orders of a few words each, as the simulator's would index.
EventList manyOrders(int count)
{
    EventList events;
    const QStringList names{QStringLiteral("Ada Lovelace"), QStringLiteral("Alan Turing"), QStringLiteral("Grace Hopper")};
    const QStringList products{QStringLiteral("Mug"), QStringLiteral("Teapot"), QStringLiteral("Kettle"), QStringLiteral("Cup")};
    for (int i = 1; i <= count; ++i) {
        Event event;
        event.position = i;
        event.type = EventType::OrderPlaced;
        event.aggregateId = i;
        QJsonArray lines;
        for (int l = 0; l <= i % 3; ++l)
            lines.append(QJsonObject{{QStringLiteral("name"), products.at((i + l) % products.size())},
                                     {QStringLiteral("sku"), QStringLiteral("SKU-%1").arg((i + l) % 40)},
                                     {QStringLiteral("category"), QStringLiteral("Kitchen")}});
        event.payload = {{QStringLiteral("customerName"), names.at(i % names.size())},
                         {QStringLiteral("lines"), lines}};
        events.append(event);
    }
    return events;
}

} // namespace

class TestSearch final : public QObject
{
    Q_OBJECT

private:
    LabHarness* m_harness = nullptr;
    std::unique_ptr<LabHarness> m_owner;
    QList<qint64> m_aliceMugOrders;
    QList<qint64> m_otherOrders;
    qint64 m_head = 0;

    Lab& lab() { return m_harness->lab(); }

    SearchResult search(const QString& text, ArchitectureMode mode, int limit = 50)
    {
        ReadOptions options;
        options.mode = mode;
        options.consistency = ConsistencyMode::ReadYourWrites;
        options.minPosition = m_head;
        options.timeoutMs = longWaitMs;
        return await(lab().queries().search(text, limit, options));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_owner = std::make_unique<LabHarness>(ArchitectureMode::Physical);
        m_harness = m_owner.get();
        QFuture<StoreInfo> opened = m_harness->start();
        QTRY_VERIFY_WITH_TIMEOUT(opened.isFinished(), longWaitMs);
        QVERIFY2(opened.result().ok, qPrintable(opened.result().error));

        // Alice: two orders with a Blue Mug (one later cancelled), one without.
        // Bob: one with a Blue Mug.
        const auto place = [this](qint64 customer, QList<OrderLineRequest> lines) {
            const CommandResult result = m_harness->run(order(customer, std::move(lines)));
            return result.accepted() ? result.entityId : 0;
        };
        m_aliceMugOrders << place(alice, {line(blueMug, 1)});
        m_aliceMugOrders << place(alice, {line(notebook, 2), line(blueMug, 3)});
        m_otherOrders << place(alice, {line(notebook, 1)});
        m_otherOrders << place(bob, {line(blueMug, 2), line(teaTowel, 1)});
        m_otherOrders << place(bob, {line(teaTowel, 1)});
        QVERIFY(!m_aliceMugOrders.contains(0) && !m_otherOrders.contains(0));
        QVERIFY(m_harness->run(CancelOrder{testMeta(), m_aliceMugOrders.first(), QStringLiteral("test")}).accepted());
        m_head = lab().bus().headPosition();
        QTRY_VERIFY2_WITH_TIMEOUT(caughtUp(lab(), m_head), qPrintable(describe(lab())), longWaitMs);

        // Logical mode needs the views in write.db too: fill them once.
        switchArchitecture(lab(), ArchitectureMode::Logical);
        QTRY_VERIFY2_WITH_TIMEOUT(caughtUp(lab(), m_head), qPrintable(describe(lab())), longWaitMs);
        QVERIFY(caughtUp(lab(), m_head));
    }

    void cleanupTestCase() { m_owner.reset(); }

    // --- SearchQuery ------------------------------------------------------

    void termsSplitsOnWhitespace()
    {
        QCOMPARE(SearchQuery::terms(QStringLiteral("  alice   mug ")), (QStringList{QStringLiteral("alice"), QStringLiteral("mug")}));
        QCOMPARE(SearchQuery::terms(QStringLiteral("alice\tmug\nblue\u3000cup")),
                 (QStringList{QStringLiteral("alice"), QStringLiteral("mug"), QStringLiteral("blue"), QStringLiteral("cup")}));
        QCOMPARE(SearchQuery::terms(QString()), QStringList());
        QCOMPARE(SearchQuery::terms(QStringLiteral(" \t\r\n ")), QStringList());
    }

    void termsDropControlCharactersAndMeaninglessTerms()
    {
        QCOMPARE(SearchQuery::terms(fromUtf16({u'a', 0, u'b'})), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(SearchQuery::terms(QStringLiteral("mug\x01\x1b" "cup")), (QStringList{QStringLiteral("mug"), QStringLiteral("cup")}));
        QCOMPARE(SearchQuery::terms(QStringLiteral("\" ' * ^ : ( ) - -- \"\" 😀")), QStringList());
        // A term keeps its punctuation as long as it has a letter or digit.
        QCOMPARE(SearchQuery::terms(QStringLiteral("\"alice -mug* 50%")),
                 (QStringList{QStringLiteral("\"alice"), QStringLiteral("-mug*"), QStringLiteral("50%")}));
    }

    void termsAreBounded()
    {
        QStringList words;
        for (int i = 0; i < 40; ++i)
            words << QStringLiteral("w%1").arg(i);
        const QStringList terms = SearchQuery::terms(words.join(u' '));
        QCOMPARE(terms.size(), 16);
        QCOMPARE(terms.first(), QStringLiteral("w0"));
        QCOMPARE(terms.last(), QStringLiteral("w15"));
        const QStringList longOne = SearchQuery::terms(QString(10'000, u'x'));
        QCOMPARE(longOne.size(), 1);
        QCOMPARE(longOne.first().size(), 64);
    }

    void termsNeverSplitASurrogatePair()
    {
        // Cut at 64 UTF-16 units, a term must not end in half a character.
        const QStringList terms = SearchQuery::terms(QStringLiteral("x").repeated(63) + QStringLiteral("😀yz"));
        QCOMPARE(terms.size(), 1);
        QVERIFY(!terms.first().isEmpty());
        QVERIFY2(!terms.first().back().isHighSurrogate(), "the term ends in a lone high surrogate");
        for (const QString& term : SearchQuery::terms(QStringLiteral("a") + QStringLiteral("😀").repeated(100)))
            QVERIFY(!term.back().isHighSurrogate());
    }

    void ftsExpressionQuotesEveryTerm()
    {
        QCOMPARE(SearchQuery::ftsExpression({}), QString());
        QCOMPARE(SearchQuery::ftsExpression({QStringLiteral("alice")}), QStringLiteral("\"alice\"*"));
        QCOMPARE(SearchQuery::ftsExpression({QStringLiteral("alice"), QStringLiteral("mug")}),
                 QStringLiteral("\"alice\" \"mug\"*"));
        QCOMPARE(SearchQuery::ftsExpression({QStringLiteral("a\"b"), QStringLiteral("NEAR(x")}),
                 QStringLiteral("\"a\"\"b\" \"NEAR(x\"*"));
        QCOMPARE(SearchQuery::ftsExpression({QStringLiteral("AND"), QStringLiteral("-x:^")}),
                 QStringLiteral("\"AND\" \"-x:^\"*"));
    }

    void likePatternEscapesWildcards()
    {
        QCOMPARE(SearchQuery::likePattern(QStringLiteral("mug")), QStringLiteral("%mug%"));
        QCOMPARE(SearchQuery::likePattern(QStringLiteral("50%")), QStringLiteral("%50\\%%"));
        QCOMPARE(SearchQuery::likePattern(QStringLiteral("a_b")), QStringLiteral("%a\\_b%"));
        QCOMPARE(SearchQuery::likePattern(QStringLiteral("c:\\x")), QStringLiteral("%c:\\\\x%"));
        QCOMPARE(SearchQuery::likePattern(QStringLiteral("'\"")), QStringLiteral("%'\"%"));
    }

    // --- The query service -----------------------------------------------

    void aliceMugFindsAlicesMugOrders_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("crud") << int(ArchitectureMode::Crud);
        QTest::newRow("logical") << int(ArchitectureMode::Logical);
        QTest::newRow("physical") << int(ArchitectureMode::Physical);
    }

    void aliceMugFindsAlicesMugOrders()
    {
        QFETCH(int, mode);
        for (const QString& text : {QStringLiteral("alice mug"), QStringLiteral("ALICE Mug"), QStringLiteral("mug alice")}) {
            const SearchResult result = search(text, ArchitectureMode(mode));
            QVERIFY2(result.meta.ok(), qPrintable(result.meta.error));
            QCOMPARE(result.query, text);
            QList<qint64> orders;
            for (const SearchHit& hit : result.hits) {
                QCOMPARE(hit.kind, QStringLiteral("order")); // no customer or product has both words
                orders << hit.ref;
            }
            std::sort(orders.begin(), orders.end());
            QCOMPARE(orders, m_aliceMugOrders);
        }
        // And each word on its own finds more.
        const SearchResult mugs = search(QStringLiteral("mug"), ArchitectureMode(mode));
        QVERIFY(mugs.meta.ok());
        bool product = false;
        int orders = 0;
        for (const SearchHit& hit : mugs.hits) {
            product = product || (hit.kind == QStringLiteral("product") && hit.ref == blueMug);
            orders += hit.kind == QStringLiteral("order");
        }
        QVERIFY(product);
        QCOMPARE(orders, 3); // Alice's two and Bob's one
        const SearchResult alices = search(QStringLiteral("alice"), ArchitectureMode(mode));
        int aliceCustomers = 0;
        for (const SearchHit& hit : alices.hits)
            aliceCustomers += hit.kind == QStringLiteral("customer");
        QCOMPARE(aliceCustomers, 2); // Alice Andersen and Alice Garcia
    }

    void hostileInputNeverFails_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("crud") << int(ArchitectureMode::Crud);
        QTest::newRow("logical") << int(ArchitectureMode::Logical);
        QTest::newRow("physical") << int(ArchitectureMode::Physical);
    }

    void hostileInputNeverFails()
    {
        QFETCH(int, mode);
        int index = 0;
        for (const QString& text : hostileInputs()) {
            const SearchResult result = search(text, ArchitectureMode(mode));
            QVERIFY2(result.meta.ok(), qPrintable(QStringLiteral("input #%1 (%2): %3")
                                                       .arg(index)
                                                       .arg(text.left(40), result.meta.error)));
            QCOMPARE(result.query, text);
            QVERIFY(result.hits.size() <= 50);
            ++index;
        }
        // Nothing was harmed.
        StoreReader reader(lab().writeDbPath());
        QCOMPARE(reader.count(QStringLiteral("orders")), 5);
        QCOMPARE(reader.count(QStringLiteral("customers")), 50);
        // Empty input is an empty answer, not everything.
        QVERIFY(search(QString(), ArchitectureMode(mode)).hits.isEmpty());
        QVERIFY(search(QStringLiteral(" \t "), ArchitectureMode(mode)).hits.isEmpty());
    }

    void operatorsAreSearchedLiterally()
    {
        // As operators these would find the mugs; as words nobody has, nothing.
        for (ArchitectureMode mode : {ArchitectureMode::Crud, ArchitectureMode::Logical, ArchitectureMode::Physical}) {
            for (const QString& text : {QStringLiteral("mug OR zzqx"), QStringLiteral("NEAR(mug zzqx)"),
                                        QStringLiteral("zzqx OR mug*")}) {
                const SearchResult result = search(text, mode);
                QVERIFY2(result.meta.ok(), qPrintable(result.meta.error));
                QVERIFY2(result.hits.isEmpty(), qPrintable(architectureModeName(mode) + u' ' + text));
            }
        }
        // FTS matches words: "mug NOT alice" as a query would be Bob's order.
        for (ArchitectureMode mode : {ArchitectureMode::Logical, ArchitectureMode::Physical}) {
            const SearchResult result = search(QStringLiteral("mug NOT alice"), mode);
            QVERIFY2(result.meta.ok(), qPrintable(result.meta.error));
            QVERIFY(result.hits.isEmpty());
        }
    }

    void documentsWrittenTogetherEqualOneByOne()
    {
        // The search index writes a batch's documents in one INSERT (rows
        // from a JSON array): the rows equal one INSERT per event whatever
        // the text (quotes, tabs, control characters, surrogate pairs, null
        // texts stay NULL), and a tag in the middle of a batch finds its
        // document.
        QTemporaryDir dir;
        const EventList events = searchEvents();
        const QString oneByOne = dir.filePath(QStringLiteral("one.db"));
        const QString together = dir.filePath(QStringLiteral("together.db"));
        QCOMPARE(foldSearch(oneByOne, events, 1), QString());
        QCOMPARE(foldSearch(together, events, 100), QString());
        const QStringList rows = canonical(together, QStringLiteral("search_index"));
        QCOMPARE(rows.size(), 6);
        QCOMPARE(rows, canonical(oneByOne, QStringLiteral("search_index")));
        const QString nulls = QStringLiteral("SELECT COUNT(*) FROM rv_search WHERE title IS NULL OR body IS NULL");
        QCOMPARE(StoreReader(together).scalar(nulls).toInt(), StoreReader(oneByOne).scalar(nulls).toInt());
        const QString tagged = QStringLiteral("SELECT COUNT(*) FROM rv_search WHERE body LIKE '%cancelled' OR body LIKE '%discontinued'");
        QCOMPARE(StoreReader(together).scalar(tagged).toInt(), 2);
    }

    void aDocumentThatCannotBeWrittenNamesItsEvent()
    {
        // Order 12's document (rowid 48) is taken: the batch fails, naming
        // event #6, not the batch.
        QTemporaryDir dir;
        const QString error = foldSearch(dir.filePath(QStringLiteral("taken.db")), searchEvents(), 100,
                                         QStringLiteral("INSERT INTO rv_search (rowid, kind, ref, title, body) "
                                                        "VALUES (48, 'order', 12, 'taken', 'taken')"));
        QVERIFY2(error.startsWith(QStringLiteral("Event #6 (OrderPlaced) could not be added to the search index")),
                 qPrintable(error));
    }

    void segmentsAreMergedAfterEachCommitNotInIt()
    {
        // FTS5's own merging (automerge) is off: it ran inside whichever
        // commit crossed a threshold. The projection's tidy() merges after
        // each commit instead, so the index stays in few segments; without
        // it they pile up to FTS5's emergency threshold.
        QTemporaryDir dir;
        const EventList events = manyOrders(900);
        const QString tidied = dir.filePath(QStringLiteral("tidied.db"));
        const QString untidied = dir.filePath(QStringLiteral("untidied.db"));
        QCOMPARE(foldSearch(tidied, events, 3, {}, true), QString());
        QCOMPARE(foldSearch(untidied, events, 3, {}, false), QString());
        const QString automerge = QStringLiteral("SELECT v FROM rv_search_config WHERE k = 'automerge'");
        QCOMPARE(StoreReader(tidied).scalar(automerge).toInt(), 0);
        const QString segments = QStringLiteral("SELECT COUNT(DISTINCT segid) FROM rv_search_idx");
        const int merged = StoreReader(tidied).scalar(segments).toInt();
        const int piled = StoreReader(untidied).scalar(segments).toInt();
        QVERIFY2(merged > 0 && merged <= 12 && merged < piled,
                 qPrintable(QStringLiteral("%1 segments with tidy(), %2 without").arg(merged).arg(piled)));
        // Same rows, a sound index, and searches find the same orders.
        QCOMPARE(canonical(tidied, QStringLiteral("search_index")), canonical(untidied, QStringLiteral("search_index")));
        const QString teapots = QStringLiteral("SELECT COUNT(*) FROM rv_search WHERE rv_search MATCH 'teapot AND ada'");
        QVERIFY(StoreReader(tidied).scalar(teapots).toInt() > 0);
        QCOMPARE(StoreReader(tidied).scalar(teapots).toInt(), StoreReader(untidied).scalar(teapots).toInt());
        SqlConnection check(QStringLiteral("check"), tidied, SqlConnection::Role::Writer);
        QString error;
        QVERIFY2(check.open(&error), qPrintable(error));
        QVERIFY2(execSql(check.db(), QStringLiteral("INSERT INTO rv_search (rv_search) VALUES ('integrity-check')"), &error),
                 qPrintable(error));
    }

    void tidyWorksOnAnAttachedReadStore()
    {
        // Synchronous update folds into read.db attached to the write
        // store's connection (as "readstore"), with every rv_* name
        // qualified; here it is attached as "read". The
        // merge command's column (named after the table) must not be.
        QTemporaryDir dir;
        const QString readDb = dir.filePath(QStringLiteral("read.db"));
        QCOMPARE(foldSearch(readDb, manyOrders(30), 3), QString());
        SqlConnection connection(QStringLiteral("attaching"), dir.filePath(QStringLiteral("write.db")),
                                 SqlConnection::Role::Writer);
        QString error;
        QVERIFY2(connection.open(&error), qPrintable(error));
        QVERIFY2(execSql(connection.db(), QStringLiteral("ATTACH DATABASE '%1' AS read").arg(readDb), &error),
                 qPrintable(error));
        SqlContext sql(connection.db());
        sql.setSchema(QStringLiteral("read"));
        const auto projection = projectionNamed(QStringLiteral("search_index"));
        QVERIFY2(ReadStore::prepare(sql, *projection, &error), qPrintable(error));
        const EventList more = manyOrders(60).mid(30);
        ChangeSet changes;
        qint64 checkpoint = 0;
        qint64 failedAt = 0;
        QVERIFY2(ReadStore::applyBatch(sql, *projection, more, changes, &checkpoint, &failedAt, &error),
                 qPrintable(error));
        QVERIFY2(projection->tidy(sql, &error), qPrintable(error));
        QCOMPARE(StoreReader(readDb).scalar(QStringLiteral("SELECT COUNT(*) FROM rv_search")).toInt(), 60);
    }

    void nonBmpLettersAreLetters()
    {
        // Mathematical bold "Alice": letters outside the BMP (surrogate pairs).
        QCOMPARE(SearchQuery::terms(QStringLiteral("𝐀𝐥𝐢𝐜𝐞")), QStringList{QStringLiteral("𝐀𝐥𝐢𝐜𝐞")});
        QCOMPARE(SearchQuery::terms(QStringLiteral("𠀀 😀")), QStringList{QStringLiteral("𠀀")});
    }
};

QTEST_GUILESS_MAIN(TestSearch)
#include "tst_search.moc"
