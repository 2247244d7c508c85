#include "ui/flowtokens.h"

#include <algorithm>

namespace cqrs::ui {

void FlowTokens::setProjections(int count, bool inUse) {
    m_inUse = inUse;
    while (m_checkpoints.size() < count)
        m_checkpoints.append(0);
    m_checkpoints.resize(count);
}

void FlowTokens::addOwnCommand(int serial, qint64 nowMs) {
    Token token;
    token.serial = serial;
    token.own = true;
    token.from = Stop::Form;
    token.to = Stop::Queue;
    token.legStartMs = nowMs;
    m_tokens.push_back(token);
    trim();
}

void FlowTokens::committed(int serial, qint64 position, qint64 nowMs) {
    for (Token& token : m_tokens) {
        if (token.serial != serial)
            continue;
        token.serial = 0;
        if (position <= 0)
            token.done = true; // rejected or failed: it never reaches the store
        token.position = position;
        token.followed = position == m_followed;
        advance(nowMs);
        return;
    }
}

void FlowTokens::addCommitted(Stop from, qint64 position, qint64 nowMs) {
    Token token;
    token.position = position;
    token.from = from;
    token.to = Stop::Queue;
    token.legStartMs = nowMs;
    token.followed = position == m_followed;
    m_tokens.push_back(token);
    trim();
}

void FlowTokens::setCheckpoint(int index, qint64 checkpoint) {
    if (index >= 0 && index < m_checkpoints.size())
        m_checkpoints[index] = checkpoint;
}

void FlowTokens::follow(qint64 position) {
    m_followed = position;
    for (Token& token : m_tokens)
        token.followed = position > 0 && token.position == position;
}

bool FlowTokens::mayLeave(const Token& token) const {
    // Into the write store only once committed; past a projection only once
    // that projection committed the event.
    if (token.from == Stop::Handler && token.to == Stop::Handler)
        return token.position > 0;
    if (token.to == Stop::Entry)
        return token.position > 0 && checkpoint(token.projection) >= token.position;
    return true;
}

bool FlowTokens::next(Token& token) const {
    // A stop "to itself" is the time spent inside a part.
    switch (token.to) {
    case Stop::Form:
    case Stop::Traffic:
        return false;
    case Stop::Queue:
        if (token.from != Stop::Queue) {
            token.from = Stop::Queue;
            return true;
        }
        token.to = Stop::Handler;
        return true;
    case Stop::Handler:
        if (token.from != Stop::Handler) {
            token.from = Stop::Handler;
            return true;
        }
        token.to = Stop::WriteStore;
        return true;
    case Stop::WriteStore:
        if (token.from != Stop::WriteStore) {
            token.from = Stop::WriteStore;
            return true;
        }
        return false; // split (or, in CRUD, the end)
    case Stop::Entry:
        token.from = Stop::Entry;
        token.to = Stop::Projection;
        return true;
    case Stop::Projection:
        if (token.from != Stop::Projection) {
            token.from = Stop::Projection;
            return true;
        }
        token.to = Stop::ReadStore;
        return true;
    case Stop::ReadStore:
        if (token.from != Stop::ReadStore) {
            token.from = Stop::ReadStore;
            return true;
        }
        return false;
    }
    return false;
}

void FlowTokens::split(const Token& command, qint64 startMs) {
    if (!m_inUse)
        return; // CRUD: the dashboard reads the write store; no view waits for it
    for (int p = 0; p < m_checkpoints.size(); ++p) {
        Token branch = command;
        branch.projection = p;
        branch.from = Stop::WriteStore;
        branch.to = Stop::Entry;
        branch.legStartMs = startMs;
        branch.done = false;
        branch.waiting = false;
        m_tokens.push_back(branch);
    }
}

void FlowTokens::advance(qint64 nowMs) {
    std::vector<Token> splitting;
    for (Token& token : m_tokens) {
        if (token.done)
            continue;
        while (true) {
            const bool inside = token.from == token.to;
            const qint64 duration = inside ? stepMs / 2 : stepMs;
            const qint64 end = token.legStartMs + duration;
            if (nowMs < end) {
                token.waiting = false;
                token.progress = double(nowMs - token.legStartMs) / double(duration);
                break;
            }
            token.progress = 1;
            // Held at the handler until committed, at a projection until applied.
            if (!mayLeave(token)) {
                token.waiting = true;
                break;
            }
            // After a wait the next step starts now; otherwise where the last one ended.
            const qint64 leftAt = token.waiting ? nowMs : end;
            token.waiting = false;
            if (!next(token)) {
                token.legStartMs = leftAt; // the branches leave when the command arrived
                if (token.from == Stop::WriteStore && token.projection < 0)
                    splitting.push_back(token);
                token.done = true;
                break;
            }
            token.legStartMs = leftAt;
        }
    }
    for (const Token& command : splitting)
        split(command, command.legStartMs);
    m_tokens.erase(
        std::remove_if(m_tokens.begin(), m_tokens.end(), [](const Token& t) { return t.done; }),
        m_tokens.end());
    if (!splitting.empty()) {
        trim();
        advance(nowMs); // place the new branches
    }
}

int FlowTokens::waitingAt(int index) const {
    return int(std::count_if(m_tokens.begin(), m_tokens.end(), [index](const Token& t) {
        return t.projection == index && t.waiting;
    }));
}

void FlowTokens::trim() {
    // Too many on screen: the oldest of other clients go first, then the
    // window's own; a followed order's tokens stay.
    const auto dropOldest = [this](auto&& droppable) {
        const auto oldest = std::find_if(m_tokens.begin(), m_tokens.end(), droppable);
        if (oldest == m_tokens.end())
            return false;
        m_tokens.erase(oldest);
        return true;
    };
    while (int(m_tokens.size()) > maxTokens) {
        if (!dropOldest([](const Token& t) { return !t.own && !t.followed; }) &&
            !dropOldest([](const Token& t) { return !t.followed; }))
            break;
    }
}

void FlowTokens::clear() {
    m_tokens.clear();
}

} // namespace cqrs::ui
