#include "ui/flowdiagram.h"

#include "ui/flownode.h"
#include "ui/projectionnode.h"
#include "util/money.h"

#include <QEvent>
#include <QFileInfo>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <QtMath>
#include <QToolButton>

#include <algorithm>
#include <cmath>

namespace cqrs::ui {

namespace {
const QColor formTokenColour(0xe6, 0x7e, 0x22);
const QColor trafficTokenColour(0x2c, 0x6f, 0xbb);
const QColor waitingColour(0xb3, 0x6b, 0x00);
const QColor failedColour(0xc0, 0x39, 0x2b);

QString fileName(const QString& path) {
    return QFileInfo(path).fileName();
}

QString rate(double perSecond) {
    return perSecond < 0 ? QStringLiteral("–") : formatCount(qRound64(perSecond));
}
} // namespace

FlowDiagram::FlowDiagram(QWidget* parent)
    : QWidget(parent)
    , m_form(new FlowNode(QStringLiteral("form"), tr("Checkout form"), this))
    , m_traffic(new FlowNode(QStringLiteral("traffic"), tr("Simulated traffic"), this))
    , m_queue(new FlowNode(QStringLiteral("queue"), tr("Command queue"), this))
    , m_handler(new FlowNode(QStringLiteral("handler"), tr("Command handler"), this))
    , m_writeStore(new FlowNode(QStringLiteral("writestore"), tr("Write store"), this))
    , m_readStore(new FlowNode(QStringLiteral("readstore"), tr("Read store"), this))
    , m_query(new FlowNode(QStringLiteral("query"), tr("Query side"), this))
    , m_dashboard(new FlowNode(QStringLiteral("dashboard"), tr("Dashboard"), this))
    , m_caption(new QLabel(this)) {
    setAccessibleName(tr("Flow diagram"));
    setAccessibleDescription(tr("How commands and their events flow through the lab, live."));
    m_caption->setAccessibleName(tr("About the flow diagram"));
    m_caption->setTextFormat(Qt::RichText);
    m_caption->setWordWrap(true);
    for (const auto& [name, title] : std::initializer_list<std::pair<const char*, const char*>>{
             {"order_summary", QT_TR_NOOP("Order summary")},
             {"customer_stats", QT_TR_NOOP("Customer stats")},
             {"product_sales", QT_TR_NOOP("Product sales")},
             {"revenue_timeline", QT_TR_NOOP("Revenue timeline")},
             {"search_index", QT_TR_NOOP("Search index")}})
        addProjection(QLatin1StringView(name).toString(), tr(title));
    for (FlowNode* node : nodes())
        connect(node, &FlowNode::activated, this, [this, node](const QString& id) {
            auto* projection = qobject_cast<ProjectionNode*>(node);
            Q_EMIT nodeActivated(id, projection ? projection->name() : QString());
        });
    m_tokens.setProjections(int(m_projections.size()), true);
    m_clock.start();
    m_frame.setInterval(33);
    connect(&m_frame, &QTimer::timeout, this, &FlowDiagram::tick);
    setMinimumHeight(minimumDiagramHeight());
    rebuildDrawing();
    updateFigures();
}

ProjectionNode* FlowDiagram::addProjection(const QString& name, const QString& title) {
    auto* node = new ProjectionNode(name, title, this);
    connect(node, &ProjectionNode::pauseToggled, this, &FlowDiagram::pauseToggled);
    connect(node, &ProjectionNode::retryRequested, this, &FlowDiagram::retryRequested);
    m_projections.push_back(node);
    return node;
}

QList<FlowNode*> FlowDiagram::nodes() const {
    QList<FlowNode*> all{m_form, m_traffic, m_queue, m_handler, m_writeStore};
    for (ProjectionNode* projection : m_projections)
        all.append(projection);
    all << m_readStore << m_query << m_dashboard;
    return all;
}

void FlowDiagram::setSpotlight(const QStringList& targets) {
    m_spotlight = targets;
    for (FlowNode* part : nodes())
        part->setSpotlit(targets.contains(QStringLiteral("node:") + part->id()));
    for (ProjectionNode* projection : m_projections)
        projection->setSpotlit(targets.contains(QStringLiteral("projection:") + projection->name()));
}

FlowNode* FlowDiagram::node(const QString& accessibleName) const {
    for (FlowNode* node : nodes()) {
        if (node->accessibleName() == accessibleName)
            return node;
    }
    return nullptr;
}

FlowNode* FlowDiagram::nodeWithId(const QString& id) const {
    for (FlowNode* node : nodes()) {
        if (node->id() == id)
            return node;
    }
    return nullptr;
}

ProjectionNode* FlowDiagram::projectionNode(const QString& projection) const {
    for (ProjectionNode* node : m_projections) {
        if (node->name() == projection)
            return node;
    }
    return nullptr;
}

void FlowDiagram::showState(const SessionState& state) {
    m_state = state;
    m_tokens.setProjections(int(m_projections.size()),
                            state.architecture != ArchitectureMode::Crud);
    rebuildDrawing();
    updateFigures();
}

void FlowDiagram::setConsistency(ConsistencyMode mode) {
    m_consistency = mode;
    rebuildDrawing();
    updateFigures();
}

void FlowDiagram::setTrafficRate(int perSecond) {
    m_trafficRate = perSecond;
    updateFigures();
}

void FlowDiagram::showSnapshot(const LagSnapshot& snapshot) {
    m_snapshot = snapshot;
    for (const ProjectionLag& lag : snapshot.projections) {
        for (size_t p = 0; p < m_projections.size(); ++p) {
            if (m_projections[p]->name() == lag.status.name)
                m_tokens.setCheckpoint(int(p), lag.status.checkpoint);
        }
    }
    // Rates over about a second, from two snapshots.
    const double seconds = (snapshot.takenAtNs - m_rateBase.takenAtNs) / 1e9;
    if (m_rateBase.takenAtNs == 0 || snapshot.head < m_rateBase.head) {
        m_rateBase = snapshot;
    } else if (seconds >= 1.0) {
        const QStringList labelsBefore = edgeLabels();
        const qint64 commands = snapshot.write.commandsAccepted + snapshot.write.commandsRejected;
        const qint64 before = m_rateBase.write.commandsAccepted + m_rateBase.write.commandsRejected;
        m_commandsPerS = std::max<qint64>(0, commands - before) / seconds;
        m_eventsPerS = std::max<qint64>(0, snapshot.head - m_rateBase.head) / seconds;
        m_appliedPerS.clear();
        for (const ProjectionLag& lag : snapshot.projections) {
            double applied = -1;
            for (const ProjectionLag& base : std::as_const(m_rateBase.projections)) {
                if (base.status.name == lag.status.name)
                    applied = std::max<qint64>(0, lag.status.checkpoint - base.status.checkpoint) /
                              seconds;
            }
            m_appliedPerS.append(applied);
        }
        m_rateBase = snapshot;
        // Only the rate labels that changed, where they were and are.
        const QStringList labelsAfter = edgeLabels();
        QRegion labels;
        for (size_t e = 0; e < m_edges.size(); ++e) {
            const QString& was = labelsBefore.at(qsizetype(e));
            const QString& is = labelsAfter.at(qsizetype(e));
            if (was != is)
                labels += edgeLabelRect(m_edges[e], was) | edgeLabelRect(m_edges[e], is);
        }
        update(labels);
    }
    // What the diagram paints itself (the counts waiting, a failure's mark) changed.
    QList<qint64> drawn;
    for (const ProjectionLag& lag : snapshot.projections)
        drawn << lag.eventsBehind << qint64(lag.status.state);
    const bool redraw = drawn != m_drawnWaits;
    m_drawnWaits = drawn;
    updateFigures();
    if (redraw)
        update(waitRegion());
}

void FlowDiagram::showViewRows(const ViewRowCounts& rows) {
    m_rows = rows;
    updateFigures();
}

void FlowDiagram::projectionAdvanced(const ProjectionAdvance& advance) {
    for (size_t p = 0; p < m_projections.size(); ++p) {
        if (m_projections[p]->name() == advance.projection)
            m_tokens.setCheckpoint(int(p), advance.checkpoint);
    }
}

void FlowDiagram::eventsAppended(const EventList& events) {
    // The window's own commands travel from the form already (commandSent);
    // of the others, one token at most per step, so the eye can follow them.
    const qint64 now = nowMs();
    if (now - m_lastTrafficTokenMs < FlowTokens::stepMs)
        return;
    for (auto it = events.crbegin(); it != events.crend(); ++it) {
        if (it->origin == CommandOrigin::Form || it->origin == CommandOrigin::Seed)
            continue;
        m_tokens.addCommitted(FlowTokens::Stop::Traffic, it->position, now);
        m_lastTrafficTokenMs = now;
        if (!m_frame.isActive())
            m_frame.start();
        return;
    }
}

void FlowDiagram::commandSent(int ticket) {
    ++m_ownCommands;
    updateFigures();
    m_tokens.addOwnCommand(ticket, nowMs());
    if (!m_frame.isActive())
        m_frame.start();
}

void FlowDiagram::commandAnswered(int ticket, qint64 position) {
    m_tokens.committed(ticket, position, nowMs());
}

void FlowDiagram::follow(qint64 position) {
    m_followed = position;
    m_tokens.follow(position);
    updateFigures();
    update();
}

void FlowDiagram::clear() {
    m_tokens.clear();
    m_snapshot = {};
    m_rateBase = {};
    m_commandsPerS = m_eventsPerS = -1;
    m_rows = {};
    m_ownCommands = 0;
    updateFigures();
    update();
}

void FlowDiagram::tick() {
    // Only where tokens were and are: the nodes under the rest need no repaint.
    m_tokens.advance(nowMs());
    if (m_tokens.isIdle())
        m_frame.stop();
    const QRegion now = tokenRegion();
    update(m_tokenRegion.united(now));
    m_tokenRegion = now;
}

std::vector<FlowDiagram::TokenSpot> FlowDiagram::tokenSpots() const {
    std::vector<TokenSpot> spots;
    std::vector<int> stacked(m_projections.size(), 0);
    for (const FlowTokens::Token& token : m_tokens.tokens()) {
        if (token.from == token.to)
            continue; // inside a part: hidden by it
        if (token.projection >= int(m_projections.size()))
            continue;
        QPointF at = pointOf(token.from, token.projection, true) * (1 - token.progress) +
                     pointOf(token.to, token.projection, false) * token.progress;
        if (token.waiting && token.projection >= 0) {
            const int index = stacked[size_t(token.projection)]++;
            if (index >= 5)
                continue; // the count says how many more wait
            at -= QPointF(index * 7, 0);
        }
        spots.push_back({at, &token});
    }
    return spots;
}

QRegion FlowDiagram::tokenRegion() const {
    QRegion region;
    for (const TokenSpot& spot : tokenSpots()) {
        const int reach = spot.token->followed ? 12 : 6; // radius, ring and antialiasing
        region += QRect(qFloor(spot.at.x()) - reach, qFloor(spot.at.y()) - reach, 2 * reach + 2,
                        2 * reach + 2);
    }
    return region;
}

QRegion FlowDiagram::waitRegion() const {
    const QFontMetrics metrics(font());
    const int width = metrics.horizontalAdvance(QStringLiteral("0,000,000,000")) + 12;
    QRegion region;
    for (size_t p = 0; p < m_projections.size(); ++p) {
        const QPoint entry = pointOf(FlowTokens::Stop::Entry, int(p), false).toPoint();
        region += QRect(entry.x() - width, entry.y() - metrics.height() - 8, width + 8,
                        metrics.height() + 16);
    }
    return region;
}

void FlowDiagram::updateFigures() {
    const bool crud = m_state.architecture == ArchitectureMode::Crud;
    const WriteCounters& write = m_snapshot.write;
    m_form->setFigures(tr("sent: %1").arg(formatCount(m_ownCommands)));
    m_traffic->setFigures(m_trafficRate > 0
                              ? tr("on: %1/s asked").arg(formatCount(m_trafficRate))
                              : tr("off"));
    m_queue->setFigures(tr("depth %1").arg(formatCount(write.queued)));
    m_handler->setFigures(tr("%1 commands/s\n%2 rejected")
                              .arg(rate(m_commandsPerS), formatCount(write.commandsRejected)));
    const QString journal =
        m_state.journal == JournalMode::Rollback ? tr("rollback journal") : tr("WAL");
    m_writeStore->setFigures(tr("%1 · %2\ntables + event log\nhead %3 · %4 events/s")
                                 .arg(fileName(m_state.writeDbPath), journal,
                                      formatCount(m_snapshot.head), rate(m_eventsPerS)));
    for (ProjectionNode* node : m_projections) {
        bool shown = false;
        for (const ProjectionLag& lag : std::as_const(m_snapshot.projections)) {
            if (lag.status.name == node->name()) {
                node->showLag(lag, m_snapshot.head, !crud);
                shown = true;
            }
        }
        if (!shown)
            node->setInUse(!crud);
        // A followed event not applied yet: where it waits.
        node->setHighlighted(m_followed > 0 && shown && node->lag().status.checkpoint < m_followed);
    }
    qint64 orderRows = -1;
    QStringList allRows;
    for (const auto& [name, count] : std::as_const(m_rows.rows)) {
        if (name == QLatin1String("order_summary"))
            orderRows = count;
        allRows << tr("%1: %2 rows").arg(name, formatCount(count));
    }
    const QString readFile =
        fileName(m_state.architecture == ArchitectureMode::Logical ? m_state.writeDbPath
                                                                   : m_state.readDbPath);
    m_readStore->setFigures(
        tr("%1 · 5 views\n%2")
            .arg(readFile, orderRows < 0    ? tr("rows: not counted yet")
                           : orderRows == 1 ? tr("1 order row")
                                            : tr("%1 order rows").arg(formatCount(orderRows))));
    m_readStore->setExtraToolTip(allRows.join(QStringLiteral("<br/>")));
    m_readStore->setInUse(!crud);
    m_query->setFigures(crud ? tr("joins the write tables")
                        : m_consistency == ConsistencyMode::ReadYourWrites
                            ? tr("read your writes: waits for your position")
                            : tr("eventual: what the views hold now"));
    m_dashboard->setFigures(tr("tables and charts from the queries"));
    layoutNodes(); // a part's text may need another line
}

QPolygonF FlowDiagram::edgePath(const Edge& edge) const {
    const QRect from = edge.from->geometry();
    const QRect to = edge.to->geometry();
    if (edge.underneath) {
        // Down from `from`, along the lane below the projections, up into `to`.
        return QPolygonF({QPointF(from.center().x(), from.bottom() + 1),
                          QPointF(from.center().x(), m_laneY), QPointF(to.center().x(), m_laneY),
                          QPointF(to.center().x(), to.bottom() + 2)});
    }
    return QPolygonF(
        {QPointF(from.right() + 1, from.center().y()), QPointF(to.left() - 1, to.center().y())});
}

QString FlowDiagram::edgeLabel(const Edge& edge) const {
    if (edge.from == m_queue)
        return m_commandsPerS < 0 ? QString() : tr("%1/s").arg(rate(m_commandsPerS));
    for (size_t p = 0; p < m_projections.size(); ++p) {
        if (edge.from == m_projections[p] && edge.inUse && p < size_t(m_appliedPerS.size()) &&
            m_appliedPerS[qsizetype(p)] >= 0)
            return tr("%1/s").arg(rate(m_appliedPerS[qsizetype(p)]));
    }
    return edge.label;
}

QStringList FlowDiagram::edgeLabels() const {
    QStringList labels;
    for (const Edge& edge : m_edges)
        labels << edgeLabel(edge);
    return labels;
}

QRect FlowDiagram::edgeLabelRect(const Edge& edge, const QString& label) const {
    if (label.isEmpty())
        return {};
    const QFontMetrics metrics = fontMetrics();
    const QPolygonF path = edgePath(edge);
    QPointF at;
    if (edge.underneath)
        at = (path.at(1) + path.at(2)) / 2 + QPointF(0, metrics.ascent() + 2); // below the lane
    else if (edge.to == m_readStore)
        at = path.first() + (path.last() - path.first()) * 0.25; // where the fan's ends are apart
    else
        at = (path.first() + path.last()) / 2;
    // The baseline sits 4 px above `at`; the rect holds the glyphs and their antialiasing.
    const int width = metrics.horizontalAdvance(label);
    return QRect(qFloor(at.x() - width / 2.0) - 2, qFloor(at.y() - 4) - metrics.ascent() - 2,
                 width + 4, metrics.height() + 4);
}

void FlowDiagram::rebuildDrawing() {
    const bool crud = m_state.architecture == ArchitectureMode::Crud;
    const bool logical = m_state.architecture == ArchitectureMode::Logical;
    const bool synchronous = !crud && m_state.synchronousUpdateActive;
    m_edges.clear();
    m_edges.push_back({m_form, m_queue, {}});
    m_edges.push_back({m_traffic, m_queue, {}});
    m_edges.push_back({m_queue, m_handler, {}});
    m_edges.push_back({m_handler, m_writeStore, tr("commit")});
    for (ProjectionNode* projection : m_projections)
        m_edges.push_back({m_writeStore, projection, {}, !crud});
    for (ProjectionNode* projection : m_projections)
        m_edges.push_back({projection, m_readStore, {}, !crud});
    if (crud) {
        m_edges.push_back({m_writeStore, m_query, tr("joins the write tables"), true, true});
    } else {
        m_edges.push_back(
            {m_readStore, m_query,
             m_consistency == ConsistencyMode::ReadYourWrites ? tr("waits") : tr("reads"), true});
    }
    m_edges.push_back({m_query, m_dashboard, {}});

    QString mode;
    if (crud)
        mode =
            tr("CRUD: one model; the dashboard reads the write tables, the views are not in use.");
    else if (logical)
        mode = tr("CQRS, logical: two models in one file.");
    else
        mode = tr("CQRS, physical: two models in two files.");
    if (synchronous)
        mode += tr(" Synchronous update: the views are updated in the command's transaction, and "
                   "the answer waits.");
    if (!crud && m_consistency == ConsistencyMode::ReadYourWrites)
        mode += tr(" Read your writes: queries wait for your position.");
    m_captionHeight = -1;
    m_caption->setText(
        tr("<b>How a command flows, live.</b> %1 <span style='color:palette(dark)'>Each step is "
           "drawn "
           "for at least %2 ms so the eye can follow it; waiting is drawn as long as it lasts. "
           "Every figure is measured.</span>")
            .arg(mode.toHtmlEscaped())
            .arg(FlowTokens::stepMs));
    layoutNodes();
    update();
}

void FlowDiagram::layoutNodes() {
    // The frames, edges and labels the diagram paints itself follow the parts: when
    // one moved or grew, everything is repainted, not only the tokens' spots.
    const std::vector<QRect> before = drawnGeometry();
    placeNodes();
    if (drawnGeometry() != before)
        update();
}

std::vector<QRect> FlowDiagram::drawnGeometry() const {
    std::vector<QRect> rects;
    for (const FlowNode* node : nodes())
        rects.push_back(node->geometry());
    for (const Box& box : m_boxes)
        rects.push_back(box.rect);
    rects.push_back(QRect(0, m_laneY, 1, 1));
    return rects;
}

void FlowDiagram::placeNodes() {
    const QFontMetrics metrics = fontMetrics();
    const int margin = 4;
    // Room between two parts for an edge's label ("commit", "2,400/s").
    const int gap = metrics.horizontalAdvance(QStringLiteral("9,999/s")) + 8;
    // The caption is rich text, costly to measure: only when its text, width or font changed.
    const int captionWidth = width() - 2 * margin;
    if (m_captionHeight < 0 || captionWidth != m_captionWidth) {
        m_captionWidth = captionWidth;
        m_captionHeight = m_caption->heightForWidth(captionWidth);
    }
    m_caption->setGeometry(margin, margin, captionWidth, m_captionHeight);
    // Room for the boxes and their labels above (two lines when two frames nest),
    // and for a lane below the projections.
    const bool nested =
        m_state.architecture != ArchitectureMode::Crud && m_state.synchronousUpdateActive;
    const int top = m_caption->geometry().bottom() + (nested ? 2 : 1) * metrics.height() + 16;
    const int bottom = height() - margin - laneHeight();
    m_laneY = bottom + 6;
    const int height = std::max(0, bottom - top);
    const int middle = top + height / 2;

    // The projections' column is as wide as a row needs; the rest share what is left.
    const int rowWidth = m_projections.front()->minimumSizeHint().width();
    const int usable = std::max(0, width() - 2 * margin - 7 * gap - rowWidth);
    const double shares[] = {0.13, 0.12, 0.13, 0.17, 0, 0.15, 0.15, 0.15};
    int x = margin;
    int columns[8];
    int widths[8];
    for (int c = 0; c < 8; ++c) {
        columns[c] = x;
        widths[c] = c == 4 ? rowWidth : int(usable * shares[c]);
        x += widths[c] + gap;
    }
    // Each part as tall as its text needs at its width, centred on its row.
    const auto place = [&](FlowNode* node, int column, int centreY) {
        const int h = std::min(height, std::max(node->minimumSizeHint().height(),
                                                node->heightForWidth(widths[column])));
        node->setGeometry(columns[column], std::clamp(centreY - h / 2, top, bottom - h),
                          widths[column], h);
    };
    place(m_form, 0, top + height / 4);
    place(m_traffic, 0, top + 3 * height / 4);
    place(m_queue, 1, middle);
    place(m_handler, 2, middle);
    place(m_writeStore, 3, middle);
    const int spacing = 3;
    const int rows = int(m_projections.size());
    const int each = std::max(projectionRowHeight(), (height - (rows - 1) * spacing) / rows);
    for (int p = 0; p < rows; ++p)
        m_projections[size_t(p)]->setGeometry(columns[4], top + p * (each + spacing), widths[4],
                                              std::min(each, projectionRowHeight() + 8));
    place(m_readStore, 5, middle);
    place(m_query, 6, middle);
    place(m_dashboard, 7, middle);

    // The files and the transaction, around what they hold.
    const bool crud = m_state.architecture == ArchitectureMode::Crud;
    const bool logical = m_state.architecture == ArchitectureMode::Logical;
    const QString write =
        fileName(m_state.writeDbPath.isEmpty() ? QStringLiteral("write.db") : m_state.writeDbPath);
    const QString read =
        fileName(m_state.readDbPath.isEmpty() ? QStringLiteral("read.db") : m_state.readDbPath);
    const auto around = [](const QList<QWidget*>& widgets, int pad) {
        QRect rect;
        for (QWidget* w : widgets)
            rect = rect.united(w->geometry());
        return rect.adjusted(-pad, -pad, pad, pad);
    };
    m_boxes.clear();
    if (logical) {
        m_boxes.push_back(
            {around({m_writeStore, m_readStore, m_projections.front(), m_projections.back()}, 6),
             tr("one file: %1 holds the write tables, the event log and the views").arg(write)});
    } else {
        m_boxes.push_back(
            {around({m_writeStore}, 6), crud ? tr("%1 (the only model)").arg(write) : write});
        if (!crud)
            m_boxes.push_back({around({m_readStore}, 6), read});
    }
    if (!crud && m_state.synchronousUpdateActive)
        m_boxes.push_back(
            {around({m_handler, m_readStore, m_projections.front(), m_projections.back()}, 11),
             tr("one transaction per command: the answer waits for the views"), true,
             1}); // above the files' labels
}

QStringList FlowDiagram::edges() const {
    QStringList names;
    for (const Edge& edge : m_edges) {
        if (edge.inUse)
            names << QStringLiteral("%1 → %2").arg(edge.from->accessibleName(),
                                                   edge.to->accessibleName());
    }
    return names;
}

QStringList FlowDiagram::boxes() const {
    QStringList labels;
    for (const Box& box : m_boxes)
        labels << box.label;
    return labels;
}

QString FlowDiagram::caption() const {
    return m_caption->text();
}

QString FlowDiagram::stateText(const QString& projection) const {
    ProjectionNode* node = projectionNode(projection);
    return node ? node->stateText() : QString();
}

QString FlowDiagram::behindText(const QString& projection) const {
    ProjectionNode* node = projectionNode(projection);
    return node ? node->behindText() : QString();
}

bool FlowDiagram::pauseEnabled(const QString& projection) const {
    ProjectionNode* node = projectionNode(projection);
    return node && node->pauseButton()->isEnabled();
}

QPointF FlowDiagram::pointOf(FlowTokens::Stop stop, int projection, bool leaving) const {
    const auto left = [](const QWidget* w) {
        return QPointF(w->geometry().left() - 1, w->geometry().center().y());
    };
    const auto right = [](const QWidget* w) {
        return QPointF(w->geometry().right() + 2, w->geometry().center().y());
    };
    const QWidget* p = projection >= 0 && projection < int(m_projections.size())
                           ? m_projections[size_t(projection)]
                           : nullptr;
    switch (stop) {
    case FlowTokens::Stop::Form:
        return right(m_form);
    case FlowTokens::Stop::Traffic:
        return right(m_traffic);
    case FlowTokens::Stop::Queue:
        return leaving ? right(m_queue) : left(m_queue);
    case FlowTokens::Stop::Handler:
        return leaving ? right(m_handler) : left(m_handler);
    case FlowTokens::Stop::WriteStore:
        return leaving ? right(m_writeStore) : left(m_writeStore);
    case FlowTokens::Stop::Entry:
        return p ? left(p) - QPointF(12, 0) : QPointF();
    case FlowTokens::Stop::Projection:
        return p ? (leaving ? right(p) : left(p)) : QPointF();
    case FlowTokens::Stop::ReadStore:
        return leaving ? right(m_readStore) : left(m_readStore);
    }
    return {};
}

int FlowDiagram::projectionRowHeight() const {
    return fontMetrics().lineSpacing() + 14;
}

int FlowDiagram::laneHeight() const {
    return fontMetrics().height() + 10;
}

int FlowDiagram::minimumDiagramHeight() const {
    // The caption (two lines at most), the boxes' labels, five projection rows, the lane.
    const int rows = int(m_projections.size());
    return 2 * fontMetrics().lineSpacing() + fontMetrics().height() + 24 +
           rows * projectionRowHeight() + (rows - 1) * 3 + laneHeight();
}

void FlowDiagram::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    layoutNodes();
}

void FlowDiagram::changeEvent(QEvent* event) {
    if (event->type() == QEvent::FontChange) {
        m_captionHeight = -1;
        setMinimumHeight(minimumDiagramHeight());
        layoutNodes();
    }
    QWidget::changeEvent(event);
}

void FlowDiagram::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    const QPalette& colors = palette();
    painter.fillRect(rect(), colors.color(QPalette::Window));
    const QFontMetrics metrics = fontMetrics();

    for (const Box& box : m_boxes) {
        QPen pen(colors.color(QPalette::Dark));
        pen.setStyle(box.dashed ? Qt::DashLine : Qt::SolidLine);
        painter.setPen(pen);
        painter.drawRect(box.rect);
        painter.drawText(QPointF(box.rect.left() + 4,
                                 box.rect.top() - 3 - box.labelLine * metrics.lineSpacing()),
                         box.label);
    }

    painter.setRenderHint(QPainter::Antialiasing);
    for (const Edge& edge : m_edges) {
        const QPolygonF path = edgePath(edge);
        const QColor colour =
            edge.inUse ? colors.color(QPalette::Dark) : colors.color(QPalette::Midlight);
        painter.setPen(QPen(colour, 1.3));
        painter.drawPolyline(path);
        // The arrowhead, along the last segment.
        const QPointF to = path.last();
        const QLineF line(to, path.at(path.size() - 2));
        const double angle = std::atan2(-line.dy(), line.dx());
        const QPointF a =
            to + QPointF(std::sin(angle + M_PI / 3) * 7, std::cos(angle + M_PI / 3) * 7);
        const QPointF b = to + QPointF(std::sin(angle + M_PI - M_PI / 3) * 7,
                                       std::cos(angle + M_PI - M_PI / 3) * 7);
        QPainterPath head;
        head.moveTo(to);
        head.lineTo(a);
        head.lineTo(b);
        head.closeSubpath();
        painter.fillPath(head, colour);
        const QString label = edgeLabel(edge);
        const QRect labelRect = edgeLabelRect(edge, label);
        if (!labelRect.isEmpty()) {
            painter.setPen(colors.color(QPalette::Text));
            painter.drawText(labelRect, Qt::AlignCenter, label);
        }
    }

    // What waits at each projection: the tokens held there, and how many events in all.
    for (size_t p = 0; p < m_projections.size(); ++p) {
        const ProjectionLag& lag = m_projections[p]->lag();
        const QPointF entry = pointOf(FlowTokens::Stop::Entry, int(p), false);
        if (lag.status.state == ProjectionState::Failed) {
            painter.setPen(QPen(failedColour, 2.5));
            painter.drawLine(entry + QPointF(-4, -4), entry + QPointF(4, 4));
            painter.drawLine(entry + QPointF(-4, 4), entry + QPointF(4, -4));
        } else if (lag.eventsBehind > 0 && m_state.architecture != ArchitectureMode::Crud) {
            painter.setPen(waitingColour);
            const QString count = formatCount(lag.eventsBehind);
            painter.drawText(
                QPointF(entry.x() - 2 - metrics.horizontalAdvance(count), entry.y() - 6), count);
        }
    }

    // The tokens.
    for (const auto& [at, tokenPointer] : tokenSpots()) {
        const FlowTokens::Token& token = *tokenPointer;
        const QColor colour = token.waiting ? waitingColour
                              : token.own   ? formTokenColour
                                            : trafficTokenColour;
        const double radius = token.followed ? 6 : 4;
        painter.setPen(Qt::NoPen);
        painter.setBrush(colour);
        painter.drawEllipse(at, radius, radius);
        if (token.followed) {
            painter.setBrush(Qt::NoBrush);
            painter.setPen(QPen(colors.color(QPalette::Highlight), 2));
            painter.drawEllipse(at, radius + 3, radius + 3);
        }
    }
}

} // namespace cqrs::ui
