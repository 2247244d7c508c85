#pragma once

#include "events/event.h"
#include "lab/labsession.h"
#include "ui/flowtokens.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QRegion>
#include <QTimer>
#include <QWidget>

#include <vector>

class QLabel;

namespace cqrs::ui {

class FlowNode;
class ProjectionNode;

/// The live diagram of the running lab: the clients, the command queue, the
/// handler, the write store and its event log, one node per projection, the
/// read store, the query side and the dashboard, drawn for the mode that
/// runs (CRUD, CQRS in one file or two, synchronous update, read-your-
/// writes). Tokens follow commands and their events through it, moved by
/// the commits and checkpoints the lab reports (FlowTokens); every figure on
/// it is measured.
class FlowDiagram final : public QWidget {
    Q_OBJECT

public:
    explicit FlowDiagram(QWidget* parent = nullptr);

    void showState(const SessionState& state);
    void setConsistency(ConsistencyMode mode);
    /// The simulated traffic's asked rate (orders/s; 0: off).
    void setTrafficRate(int perSecond);
    void showSnapshot(const LagSnapshot& snapshot);
    void showViewRows(const ViewRowCounts& rows);
    /// A projection committed up to a checkpoint (tokens waiting for it go on).
    void projectionAdvanced(const ProjectionAdvance& advance);
    /// New events of the log: some become tokens (a readable number a second).
    void eventsAppended(const EventList& events);
    /// The window sent command `ticket` (CommandSender's numbering).
    void commandSent(int ticket);
    /// Its answer: the position it committed at, or 0 when it was not.
    void commandAnswered(int ticket, qint64 position);
    /// Draws the tokens of `position` as followed (0: none).
    void follow(qint64 position);
    /// A new store: no tokens, no figures.
    void clear();
    /// The parts the open lesson points at ("node:<id>", "projection:<name>").
    void setSpotlight(const QStringList& targets);

    // For tests and lessons.
    QList<FlowNode*> nodes() const;
    FlowNode* node(const QString& accessibleName) const;
    /// The first node explained by section `id` of nodes.md.
    FlowNode* nodeWithId(const QString& id) const;
    ProjectionNode* projectionNode(const QString& projection) const;
    /// The edges drawn in the current mode, as "from → to" of node names.
    QStringList edges() const;
    /// The boxes drawn around files and transactions, by their labels.
    QStringList boxes() const;
    const FlowTokens& tokens() const { return m_tokens; }
    QString caption() const;
    QString stateText(const QString& projection) const;
    QString behindText(const QString& projection) const;
    bool pauseEnabled(const QString& projection) const;

Q_SIGNALS:
    void pauseToggled(const QString& projection, bool paused);
    void retryRequested(const QString& projection);
    /// A node was clicked (or chosen with the keyboard): its id, and for a
    /// projection its name.
    void nodeActivated(const QString& id, const QString& projection);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    struct Edge {
        FlowNode* from;
        FlowNode* to;
        QString label; ///< what it does ("commit"), or empty
        bool inUse = true;
        bool underneath = false; ///< routed below the projections (CRUD's join)
    };
    struct Box {
        QRect rect;
        QString label;
        bool dashed = false;
        int labelLine = 0; ///< lines above the box's top edge its label sits, less one
    };
    ProjectionNode* addProjection(const QString& name, const QString& title);
    /// Places the parts, and repaints the whole diagram when any part or frame moved.
    void layoutNodes();
    void placeNodes();
    std::vector<QRect> drawnGeometry() const;
    int projectionRowHeight() const;
    int minimumDiagramHeight() const;
    int laneHeight() const;
    QPolygonF edgePath(const Edge& edge) const;
    /// The label of the edge `from` -> `to` now (a rate, or what it does).
    QString edgeLabel(const Edge& edge) const;
    /// Where edge's label `label` is drawn (empty rect: no label).
    QRect edgeLabelRect(const Edge& edge, const QString& label) const;
    QStringList edgeLabels() const;
    void rebuildDrawing();
    void updateFigures();
    void tick();
    QPointF pointOf(FlowTokens::Stop stop, int projection, bool leaving) const;
    struct TokenSpot {
        QPointF at;
        const FlowTokens::Token* token = nullptr;
    };
    /// Where each visible token is drawn now (at most five held per projection).
    std::vector<TokenSpot> tokenSpots() const;
    /// What the tokens cover (with their rings), to repaint only that.
    QRegion tokenRegion() const;
    /// Where the counts waiting before the projections are drawn.
    QRegion waitRegion() const;
    qint64 nowMs() const { return m_clock.elapsed(); }

    QStringList m_spotlight;
    FlowNode* m_form = nullptr;
    FlowNode* m_traffic = nullptr;
    FlowNode* m_queue = nullptr;
    FlowNode* m_handler = nullptr;
    FlowNode* m_writeStore = nullptr;
    std::vector<ProjectionNode*> m_projections;
    FlowNode* m_readStore = nullptr;
    FlowNode* m_query = nullptr;
    FlowNode* m_dashboard = nullptr;
    QLabel* m_caption = nullptr;
    std::vector<Edge> m_edges;
    std::vector<Box> m_boxes;
    int m_laneY = 0;
    int m_captionHeight = -1; ///< at m_captionWidth; -1: to be measured
    int m_captionWidth = -1;

    SessionState m_state;
    ConsistencyMode m_consistency = ConsistencyMode::Eventual;
    LagSnapshot m_snapshot;
    LagSnapshot m_rateBase; ///< the snapshot rates are measured from (about a second ago)
    double m_commandsPerS = -1;
    double m_eventsPerS = -1;
    QList<double> m_appliedPerS; ///< per projection, in snapshot order
    QList<qint64> m_drawnWaits;  ///< what paintEvent() drew of the projections' waits
    QRegion m_tokenRegion;       ///< where the tokens were at the last frame
    ViewRowCounts m_rows;
    int m_ownCommands = 0;
    int m_trafficRate = 0;

    FlowTokens m_tokens;
    QElapsedTimer m_clock;
    QTimer m_frame;
    qint64 m_lastTrafficTokenMs = -1'000'000;
    qint64 m_followed = 0;
};

} // namespace cqrs::ui
