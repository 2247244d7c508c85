#pragma once

#include <QColor>
#include <QFrame>

class QHBoxLayout;
class QLabel;
class QVBoxLayout;

namespace cqrs::ui {

/// One part of the flow diagram: a title, a line or two of live figures,
/// and what the part is in CQRS (NodeExplanations) as its tooltip. Clicking
/// it emits activated(). Its accessible name is its title, its accessible
/// description the figures.
class FlowNode : public QFrame {
    Q_OBJECT

public:
    /// Stacked: the title above the figures; Row: all on one line.
    enum class Shape { Stacked, Row };

    /// `id`: the section of resources/diagram/nodes.md that explains it.
    FlowNode(QString id, QString title, QWidget* parent = nullptr, Shape shape = Shape::Stacked);

    const QString& id() const { return m_id; }
    QString title() const;
    void setTitle(const QString& title);
    /// The live figures (plain text, a line or two); `alarm` draws them red.
    void setFigures(const QString& text, bool alarm = false);
    QString figures() const;
    /// More live figures, for the tooltip only (rich text).
    void setExtraToolTip(const QString& html);
    /// Drawn grey when the running configuration does not use it.
    void setInUse(bool inUse);
    bool isInUse() const { return m_inUse; }
    /// A coloured stripe on the left (state), or none.
    void setStateColour(const QColor& colour);
    /// Drawn with a thick outline (a followed order still has to pass it).
    void setHighlighted(bool highlighted);
    bool isHighlighted() const { return m_highlighted; }
    /// Drawn with a thick amber outline: the open lesson points at it.
    void setSpotlit(bool spotlit);
    bool isSpotlit() const { return m_spotlit; }

Q_SIGNALS:
    void activated(const QString& id);

protected:
    void paintEvent(QPaintEvent* event) override;
    void changeEvent(QEvent* event) override;
    /// For subclasses: a widget after the title, or before the figures.
    void addToTitleRow(QWidget* widget);
    void addBesideFigures(QWidget* widget);
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    bool event(QEvent* event) override;
    QLabel* titleLabel() const { return m_titleLabel; }
    QLabel* figuresLabel() const { return m_figures; }

private:
    void updateToolTip();
    void boldTitle();
    void applyColours();

    QString m_id;
    QLabel* m_titleLabel = nullptr;
    QLabel* m_figures = nullptr;
    QHBoxLayout* m_titleRow = nullptr;
    QHBoxLayout* m_figuresRow = nullptr;
    QVBoxLayout* m_body = nullptr;
    QString m_extraToolTip;
    QColor m_stateColour;
    bool m_inUse = true;
    bool m_highlighted = false;
    bool m_spotlit = false;
    bool m_alarm = false;
};

} // namespace cqrs::ui
