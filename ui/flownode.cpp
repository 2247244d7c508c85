#include "ui/flownode.h"

#include "ui/lessonspot.h"
#include "ui/nodeexplanations.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QVBoxLayout>

namespace cqrs::ui {

FlowNode::FlowNode(QString id, QString title, QWidget* parent, Shape shape)
    : QFrame(parent)
    , m_id(std::move(id))
    , m_titleLabel(new QLabel(this))
    , m_figures(new QLabel(this)) {
    setFocusPolicy(Qt::TabFocus);
    setCursor(Qt::PointingHandCursor);
    setAttribute(Qt::WA_OpaquePaintEvent); // paintEvent() fills it: nothing behind to repaint
    m_body = new QVBoxLayout(this);
    m_body->setContentsMargins(8, 3, 5, 3);
    m_body->setSpacing(1);
    m_titleRow = new QHBoxLayout;
    m_titleRow->setSpacing(6);
    m_body->addLayout(m_titleRow);
    m_titleRow->addWidget(m_titleLabel, shape == Shape::Row ? 0 : 1);
    m_figures->setTextFormat(Qt::PlainText); // laid out 10 times a second: no rich text
    if (shape == Shape::Row) {
        m_figuresRow = m_titleRow;
        m_titleRow->addWidget(m_figures, 1);
    } else {
        m_titleLabel->setWordWrap(true);
        m_figures->setWordWrap(true);
        m_figures->setAlignment(Qt::AlignLeft | Qt::AlignTop);
        m_figuresRow = new QHBoxLayout;
        m_figuresRow->setSpacing(4);
        m_figuresRow->addWidget(m_figures, 1);
        m_body->addLayout(m_figuresRow);
        m_body->addStretch(1);
    }
    for (QLabel* label : {m_titleLabel, m_figures})
        label->setAttribute(Qt::WA_TransparentForMouseEvents);
    boldTitle();
    setTitle(title);
}

void FlowNode::addToTitleRow(QWidget* widget) {
    m_titleRow->addWidget(widget);
}

void FlowNode::addBesideFigures(QWidget* widget) {
    m_figuresRow->insertWidget(m_figuresRow->indexOf(m_figures), widget);
}

QString FlowNode::title() const {
    return m_titleLabel->text();
}

void FlowNode::setTitle(const QString& title) {
    m_titleLabel->setText(title);
    setAccessibleName(title);
    updateToolTip();
}

void FlowNode::setFigures(const QString& text, bool alarm) {
    if (alarm != m_alarm) {
        m_alarm = alarm;
        applyColours();
    }
    if (m_figures->text() == text)
        return;
    m_figures->setText(text);
    setAccessibleDescription(text);
    updateToolTip();
}

QString FlowNode::figures() const {
    return accessibleDescription();
}

void FlowNode::setExtraToolTip(const QString& html) {
    if (html == m_extraToolTip)
        return;
    m_extraToolTip = html;
    updateToolTip();
}

void FlowNode::setInUse(bool inUse) {
    if (inUse == m_inUse)
        return;
    m_inUse = inUse;
    applyColours();
    update();
}

void FlowNode::applyColours() {
    const QColor text =
        palette().color(m_inUse ? QPalette::Active : QPalette::Disabled, QPalette::WindowText);
    for (QLabel* label : {m_titleLabel, m_figures}) {
        QPalette p = label->palette();
        p.setColor(QPalette::WindowText,
                   label == m_figures && m_alarm ? QColor(0xc0, 0x39, 0x2b) : text);
        label->setPalette(p);
    }
}

void FlowNode::setStateColour(const QColor& colour) {
    if (colour == m_stateColour)
        return;
    m_stateColour = colour;
    update();
}

void FlowNode::setHighlighted(bool highlighted) {
    if (highlighted == m_highlighted)
        return;
    m_highlighted = highlighted;
    update();
}

void FlowNode::setSpotlit(bool spotlit) {
    if (spotlit == m_spotlit)
        return;
    m_spotlit = spotlit;
    update();
}

void FlowNode::changeEvent(QEvent* event) {
    if (event->type() == QEvent::FontChange)
        boldTitle();
    else if (event->type() == QEvent::PaletteChange)
        applyColours();
    QFrame::changeEvent(event);
}

void FlowNode::boldTitle() {
    QFont bold = font();
    bold.setBold(true);
    m_titleLabel->setFont(bold);
}

void FlowNode::updateToolTip() {
    const NodeExplanations& texts = NodeExplanations::shipped();
    QString tip = QStringLiteral("<b>%1</b>").arg(title().toHtmlEscaped());
    if (texts.has(m_id))
        tip += QStringLiteral("<p>%1</p>").arg(texts.text(m_id).toHtmlEscaped());
    if (!accessibleDescription().isEmpty())
        tip += QStringLiteral("<p><i>%1</i></p>")
                   .arg(accessibleDescription().toHtmlEscaped().replace(u'\n',
                                                                        QStringLiteral("<br/>")));
    if (!m_extraToolTip.isEmpty())
        tip += QStringLiteral("<p>%1</p>").arg(m_extraToolTip);
    setToolTip(tip);
}

void FlowNode::paintEvent(QPaintEvent*) {
    // Plain rectangles: nothing here makes Qt's raster engine use its thread pool.
    QPainter painter(this);
    const QPalette& colors = palette();
    const QRect frame = rect().adjusted(0, 0, -1, -1);
    painter.fillRect(rect(),
                     m_inUse ? colors.color(QPalette::Base) : colors.color(QPalette::Window));
    QPen border(m_highlighted ? colors.color(QPalette::Highlight) : colors.color(QPalette::Mid));
    border.setWidth(m_highlighted ? 3 : 1);
    painter.setPen(border);
    painter.drawRect(m_highlighted ? frame.adjusted(1, 1, -1, -1) : frame);
    if (m_spotlit) {
        QPen spot(lessonSpotColour());
        spot.setWidth(4);
        painter.setPen(spot);
        painter.drawRect(frame.adjusted(2, 2, -2, -2));
    }
    if (m_stateColour.isValid() && m_inUse)
        painter.fillRect(QRect(1, 1, 4, height() - 2), m_stateColour);
    if (hasFocus()) {
        QPen focus(colors.color(QPalette::Highlight));
        focus.setStyle(Qt::DotLine);
        painter.setPen(focus);
        painter.drawRect(frame.adjusted(2, 2, -2, -2));
    }
}

void FlowNode::mouseReleaseEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton && rect().contains(event->position().toPoint())) {
        // Accepted: passed on to the diagram, the release would hide the
        // explanation activated() just showed (QToolTip hides on any release).
        event->accept();
        Q_EMIT activated(m_id);
        return;
    }
    QFrame::mouseReleaseEvent(event);
}

void FlowNode::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Space || event->key() == Qt::Key_Return ||
        event->key() == Qt::Key_Enter) {
        Q_EMIT activated(m_id);
        return;
    }
    QFrame::keyPressEvent(event);
}

bool FlowNode::event(QEvent* event) {
    if (event->type() == QEvent::FocusIn || event->type() == QEvent::FocusOut)
        update();
    return QFrame::event(event);
}

} // namespace cqrs::ui
