#include "lessons/lesson.h"

#include <QHash>
#include <QRegularExpression>

namespace cqrs {

namespace {
const QStringList projectionNames = {
    QStringLiteral("order_summary"), QStringLiteral("customer_stats"),
    QStringLiteral("product_sales"), QStringLiteral("revenue_timeline"),
    QStringLiteral("search_index")};

const QStringList setupKeys = {
    QStringLiteral("setup.architecture"), QStringLiteral("setup.update"),
    QStringLiteral("setup.consistency"),  QStringLiteral("setup.delay"),
    QStringLiteral("setup.jitter"),       QStringLiteral("setup.traffic"),
    QStringLiteral("setup.analytics"),    QStringLiteral("setup.paused")};

const QRegularExpression& placeholder() {
    static const QRegularExpression re(QStringLiteral("\\{([a-z_]+)\\}"));
    return re;
}

/// Reads the header's lines into `lesson`; each failure names its line.
class HeaderReader {
public:
    HeaderReader(Lesson& lesson, LessonProblem& problem)
        : m_lesson(lesson)
        , m_problem(problem) {}

    bool take(const QString& key, const QString& value, int line) {
        m_line = line;
        if (m_seen.contains(key))
            return fail(QStringLiteral("\"%1\" is given twice (first on line %2).")
                            .arg(key)
                            .arg(m_seen.value(key)));
        m_seen.insert(key, line);
        if (key == u"lesson")
            return number(value, 1, 99, &m_lesson.number);
        if (key == u"title") {
            m_lesson.title = value;
            return !value.isEmpty() || fail(QStringLiteral("The title is empty."));
        }
        if (key == u"setup.architecture") {
            const auto mode = architectureModeFromName(value);
            if (!mode)
                return fail(QStringLiteral("setup.architecture must be crud, logical or physical, "
                                           "not \"%1\".")
                                .arg(value));
            m_lesson.setup.architecture = *mode;
            return true;
        }
        if (key == u"setup.update") {
            if (value != u"async" && value != u"sync")
                return fail(
                    QStringLiteral("setup.update must be async or sync, not \"%1\".").arg(value));
            m_lesson.setup.synchronous = value == u"sync";
            return true;
        }
        if (key == u"setup.consistency") {
            if (value != u"eventual" && value != u"read-your-writes")
                return fail(QStringLiteral("setup.consistency must be eventual or "
                                           "read-your-writes, not \"%1\".")
                                .arg(value));
            m_lesson.setup.consistency = value == u"eventual" ? ConsistencyMode::Eventual
                                                              : ConsistencyMode::ReadYourWrites;
            return true;
        }
        if (key == u"setup.delay")
            return number(value, 0, 5000, &m_lesson.setup.delayMs);
        if (key == u"setup.jitter")
            return number(value, 0, 2000, &m_lesson.setup.jitterMs);
        if (key == u"setup.traffic")
            return number(value, 0, 10000, &m_lesson.setup.trafficRate);
        if (key == u"setup.analytics")
            return number(value, 0, 20, &m_lesson.setup.analyticsRate);
        if (key == u"setup.orders") {
            int orders = 0;
            if (!number(value, 0, 200000, &orders))
                return false;
            m_lesson.setup.ordersAtLeast = orders;
            return true;
        }
        if (key == u"setup.paused")
            return paused(value);
        if (key == u"highlight")
            return highlights(value);
        if (key == u"check") {
            const auto kind = lessonCheckFromName(value);
            if (!kind)
                return fail(QStringLiteral("Unknown check \"%1\".").arg(value));
            m_lesson.check.kind = *kind;
            return true;
        }
        if (key == u"check.factor")
            return decimal(value, 1.0, 1000.0, &m_lesson.check.factor);
        if (key == u"check.min_ms")
            return decimal(value, 0.0, 60000.0, &m_lesson.check.minMs);
        if (key == u"check.samples") {
            int samples = 0;
            if (!number(value, 10, 100000, &samples))
                return false;
            m_lesson.check.samples = samples;
            return true;
        }
        if (key == u"seen") {
            m_lesson.seenText = value;
            return !value.isEmpty() || fail(QStringLiteral("The seen text is empty."));
        }
        return fail(QStringLiteral("Unknown header key \"%1\".").arg(key));
    }

    /// After the header: every required key is there, and the seen text
    /// names only figures the check measures.
    bool finish(int closingLine) {
        m_line = closingLine;
        QStringList required = {QStringLiteral("lesson"), QStringLiteral("title"),
                                QStringLiteral("check"), QStringLiteral("seen")};
        required += setupKeys;
        for (const QString& key : required) {
            if (!m_seen.contains(key))
                return fail(QStringLiteral("The header has no \"%1\".").arg(key));
        }
        m_line = m_seen.value(QStringLiteral("seen"));
        const QStringList figures = lessonCheckFigures(m_lesson.check.kind);
        for (auto it = placeholder().globalMatch(m_lesson.seenText); it.hasNext();) {
            const QString name = it.next().captured(1);
            if (!figures.contains(name))
                return fail(QStringLiteral("{%1} is not a figure of check %2 (it has %3).")
                                .arg(name, lessonCheckName(m_lesson.check.kind),
                                     figures.join(QStringLiteral(", "))));
        }
        return true;
    }

    bool fail(const QString& message) {
        m_problem.line = m_line;
        m_problem.message = message;
        return false;
    }

private:
    bool number(const QString& value, int low, int high, int* out) {
        bool ok = false;
        const int n = value.toInt(&ok);
        if (!ok || n < low || n > high)
            return fail(QStringLiteral("Expected a whole number from %1 to %2, not \"%3\".")
                            .arg(low)
                            .arg(high)
                            .arg(value));
        *out = n;
        return true;
    }
    bool decimal(const QString& value, double low, double high, double* out) {
        bool ok = false;
        const double n = value.toDouble(&ok);
        if (!ok || n < low || n > high)
            return fail(QStringLiteral("Expected a number from %1 to %2, not \"%3\".")
                            .arg(low)
                            .arg(high)
                            .arg(value));
        *out = n;
        return true;
    }
    bool paused(const QString& value) {
        m_lesson.setup.pausedViews.clear();
        if (value == u"none")
            return true;
        for (const QString& part : value.split(u',')) {
            const QString name = part.trimmed();
            if (!projectionNames.contains(name))
                return fail(QStringLiteral("setup.paused: \"%1\" is no projection (none, or some "
                                           "of %2).")
                                .arg(name, projectionNames.join(QStringLiteral(", "))));
            m_lesson.setup.pausedViews.append(name);
        }
        return true;
    }
    bool highlights(const QString& value) {
        static const QStringList nodes = {
            QStringLiteral("form"),     QStringLiteral("traffic"),    QStringLiteral("queue"),
            QStringLiteral("handler"),  QStringLiteral("writestore"), QStringLiteral("readstore"),
            QStringLiteral("query"),    QStringLiteral("dashboard")};
        static const QStringList charts = {QStringLiteral("lag"), QStringLiteral("checkout")};
        static const QStringList knobs = {
            QStringLiteral("architecture"), QStringLiteral("update"),  QStringLiteral("consistency"),
            QStringLiteral("delay"),        QStringLiteral("jitter"),  QStringLiteral("traffic"),
            QStringLiteral("analytics")};
        for (const QString& part : value.split(u',', Qt::SkipEmptyParts)) {
            const QString target = part.trimmed();
            const QString kind = target.section(u':', 0, 0);
            const QString name = target.section(u':', 1);
            const bool known = (kind == u"node" && nodes.contains(name)) ||
                               (kind == u"projection" && projectionNames.contains(name)) ||
                               (kind == u"chart" && charts.contains(name)) ||
                               (kind == u"knob" && knobs.contains(name));
            if (!known)
                return fail(QStringLiteral("highlight: \"%1\" is not node:<%2>, "
                                           "projection:<name>, chart:<lag|checkout> or knob:<%3>.")
                                .arg(target, nodes.join(u'|'), knobs.join(u'|')));
            m_lesson.highlights.append(target);
        }
        return true;
    }

    Lesson& m_lesson;
    LessonProblem& m_problem;
    QHash<QString, int> m_seen;
    int m_line = 0;
};
} // namespace

const QStringList& lessonProjectionNames() {
    return projectionNames;
}

QString LessonProblem::text() const {
    return line > 0 ? QStringLiteral("%1, line %2: %3").arg(fileName).arg(line).arg(message)
                    : QStringLiteral("%1: %2").arg(fileName, message);
}

QString lessonCheckName(LessonCheckKind kind) {
    switch (kind) {
    case LessonCheckKind::CheckoutSlowsUnderReports:
        return QStringLiteral("checkout-slows-under-reports");
    case LessonCheckKind::CheckoutRecoversWhenSplit:
        return QStringLiteral("checkout-recovers-when-split");
    case LessonCheckKind::OrderPendingThenVisible:
        return QStringLiteral("order-pending-then-visible");
    case LessonCheckKind::OwnOrderReadYourWrites:
        return QStringLiteral("own-order-read-your-writes");
    case LessonCheckKind::SynchronousUpdateCost:
        return QStringLiteral("synchronous-update-cost");
    }
    return {};
}

std::optional<LessonCheckKind> lessonCheckFromName(const QString& name) {
    for (LessonCheckKind kind :
         {LessonCheckKind::CheckoutSlowsUnderReports, LessonCheckKind::CheckoutRecoversWhenSplit,
          LessonCheckKind::OrderPendingThenVisible, LessonCheckKind::OwnOrderReadYourWrites,
          LessonCheckKind::SynchronousUpdateCost}) {
        if (lessonCheckName(kind) == name)
            return kind;
    }
    return std::nullopt;
}

QStringList lessonCheckFigures(LessonCheckKind kind) {
    switch (kind) {
    case LessonCheckKind::CheckoutSlowsUnderReports:
        return {QStringLiteral("before_p99_ms"), QStringLiteral("after_p99_ms"),
                QStringLiteral("reports_per_s"), QStringLiteral("orders_in_store")};
    case LessonCheckKind::CheckoutRecoversWhenSplit:
        return {QStringLiteral("crud_p99_ms"), QStringLiteral("cqrs_p99_ms"),
                QStringLiteral("mode"), QStringLiteral("reports_per_s")};
    case LessonCheckKind::OrderPendingThenVisible:
        return {QStringLiteral("order"), QStringLiteral("position"),
                QStringLiteral("pending_ms")};
    case LessonCheckKind::OwnOrderReadYourWrites:
        return {QStringLiteral("order"), QStringLiteral("position"), QStringLiteral("wait_ms")};
    case LessonCheckKind::SynchronousUpdateCost:
        return {QStringLiteral("async_p99_ms"), QStringLiteral("sync_p99_ms"),
                QStringLiteral("async_rate"), QStringLiteral("sync_rate")};
    }
    return {};
}

QString fillLessonText(const QString& seenText, const QList<QPair<QString, QString>>& figures) {
    QString text = seenText;
    for (const auto& [name, value] : figures)
        text.replace(u'{' + name + u'}', value);
    return text;
}

std::optional<Lesson> parseLesson(const QString& fileName, const QString& text,
                                  LessonProblem* problem) {
    LessonProblem local;
    LessonProblem& said = problem ? *problem : local;
    said = LessonProblem{fileName, 0, {}};
    Lesson lesson;
    lesson.fileName = fileName;
    HeaderReader header(lesson, said);

    const QStringList lines = text.split(u'\n');
    if (lines.isEmpty() || lines.first().trimmed() != u"---") {
        said.line = 1;
        said.message = QStringLiteral("A lesson starts with a header between two \"---\" lines.");
        return std::nullopt;
    }
    qsizetype at = 1;
    bool closed = false;
    for (; at < lines.size(); ++at) {
        const QString line = lines.at(at).trimmed();
        if (line == u"---") {
            closed = true;
            break;
        }
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        const qsizetype colon = line.indexOf(u':');
        if (colon <= 0) {
            header.fail(QStringLiteral("Expected \"key: value\" or the header's closing \"---\", not \"%1\".").arg(line));
            said.line = int(at + 1);
            return std::nullopt;
        }
        if (!header.take(line.left(colon).trimmed(), line.mid(colon + 1).trimmed(), int(at + 1)))
            return std::nullopt;
    }
    if (!closed) {
        said.line = int(lines.size());
        said.message = QStringLiteral("The header has no closing \"---\" line.");
        return std::nullopt;
    }
    if (!header.finish(int(at + 1)))
        return std::nullopt;

    // The body: the explanation, then "## Do" and "## Watch".
    QString* section = &lesson.explanation;
    QHash<QString, int> sections;
    for (++at; at < lines.size(); ++at) {
        const QString& line = lines.at(at);
        if (line.startsWith(QStringLiteral("## "))) {
            const QString name = line.mid(3).trimmed();
            if (name != u"Do" && name != u"Watch") {
                said.line = int(at + 1);
                said.message =
                    QStringLiteral("Unknown section \"%1\": a lesson has \"## Do\" and \"## Watch\".")
                        .arg(name);
                return std::nullopt;
            }
            if (sections.contains(name)) {
                said.line = int(at + 1);
                said.message = QStringLiteral("\"## %1\" is given twice.").arg(name);
                return std::nullopt;
            }
            sections.insert(name, int(at + 1));
            section = name == u"Do" ? &lesson.todo : &lesson.watch;
            continue;
        }
        section->append(line).append(u'\n');
    }
    lesson.explanation = lesson.explanation.trimmed();
    lesson.todo = lesson.todo.trimmed();
    lesson.watch = lesson.watch.trimmed();
    const int last = int(lines.size());
    if (lesson.explanation.isEmpty()) {
        said.line = int(at);
        said.message = QStringLiteral("The lesson has no explanation after its header.");
        return std::nullopt;
    }
    for (const auto& [name, body] : {std::pair{QStringLiteral("Do"), &lesson.todo},
                                     std::pair{QStringLiteral("Watch"), &lesson.watch}}) {
        if (body->isEmpty()) {
            said.line = sections.value(name, last);
            said.message = sections.contains(name)
                               ? QStringLiteral("\"## %1\" is empty.").arg(name)
                               : QStringLiteral("The lesson has no \"## %1\" section.").arg(name);
            return std::nullopt;
        }
    }
    return lesson;
}

} // namespace cqrs
