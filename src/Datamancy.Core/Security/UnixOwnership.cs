using System.Runtime.InteropServices;

namespace Datamancy.Security;

/// <summary>Who runs the module and chown(2): .NET has no managed API for either.</summary>
internal static class UnixOwnership
{
    public static bool IsRoot => !OperatingSystem.IsWindows() && geteuid() == 0;

    /// <summary>Gives a file to uid:gid; returns the errno text on failure, null on success.</summary>
    public static string? Change(string path, int uid, int gid) =>
        chown(path, uid, gid) == 0 ? null : Marshal.GetLastPInvokeErrorMessage();

#pragma warning disable SYSLIB1054, CA2101 // plain DllImport: no unsafe code in the project; the path is marshalled as UTF-8.
    [DllImport("libc", SetLastError = true)]
    private static extern uint geteuid();

    [DllImport("libc", SetLastError = true)]
    private static extern int chown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int owner, int group);
#pragma warning restore SYSLIB1054, CA2101
}
