#if canImport(Glibc)
import Glibc
#endif
import LTFUCore
import LTFUStore

/// The caller on the other end of the socket, from SO_PEERCRED.
public struct PeerCredentials: Sendable, Hashable {
    public var pid: Int32
    public var uid: UInt32
    public var gid: UInt32

    public init(pid: Int32, uid: UInt32, gid: UInt32) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
    }
}

extension PeerCredentials {
    /// The audit trail's "who": the user name behind the uid (or `uid N`).
    public var actor: Actor {
        Actor(uid: uid, name: UnixAccounts.userName(uid: uid) ?? "uid \(uid)")
    }
}

/// SPEC §8: members of the read group may query; members of the write group, root and the
/// daemon's own user may change data. Groups are looked up per request, so adding a
/// coordinator to a group takes effect without a restart.
public struct AccessPolicy: Sendable {
    public enum Level: Int, Sendable, Comparable {
        case none, read, write
        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public var readGroup: String
    public var writeGroup: String
    /// The user ltfud runs as; it owns the database anyway.
    public var daemonUid: UInt32 = getuid()

    public init(readGroup: String, writeGroup: String) {
        self.readGroup = readGroup
        self.writeGroup = writeGroup
    }

    public func level(for peer: PeerCredentials) -> Level {
        if peer.uid == 0 || peer.uid == daemonUid { return .write }
        let groups = UnixAccounts.groups(ofUser: peer.uid, primary: peer.gid)
        if let write = UnixAccounts.groupId(named: writeGroup), groups.contains(write) { return .write }
        if let read = UnixAccounts.groupId(named: readGroup), groups.contains(read) { return .read }
        return .none
    }

    /// Throws `permission-denied` unless `peer` has at least `needed`.
    public func require(_ needed: Level, for peer: PeerCredentials) throws(LTFUError) {
        guard level(for: peer) >= needed else {
            let user = peer.actor.name
            if needed == .write {
                throw LTFUError(.permission, code: "permission-denied", "user {user} may not change data: not a member of group {group}",
                                ["user": user, "group": writeGroup])
            }
            throw LTFUError(.permission, code: "permission-denied", "user {user} may not query: not a member of group {read} or {write}",
                            ["user": user, "read": readGroup, "write": writeGroup])
        }
    }

}
