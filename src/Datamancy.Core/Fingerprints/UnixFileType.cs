using System.Runtime.InteropServices;

namespace Datamancy.Fingerprints;

/// <summary>
/// Tells a regular file from a FIFO, socket or device, which .NET's enumeration does not: `find
/// -type f` leaves those out, and opening a FIFO would block. Uses statx(2), whose struct layout is
/// the same on every Linux architecture; elsewhere every non-directory counts as regular.
/// </summary>
internal static class UnixFileType
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const int ModeOffset = 28; // struct statx: stx_mask, stx_blksize, stx_attributes, stx_nlink, stx_uid, stx_gid, then stx_mode
    private const int TypeMask = 0xF000;
    private const int RegularFile = 0x8000;
    private static bool _unavailable = !OperatingSystem.IsLinux();

    public static bool IsRegular(string path)
    {
        if (_unavailable)
        {
            return true;
        }

        var buffer = new byte[256];
        try
        {
            if (statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType, buffer) != 0)
            {
                return true; // let the open report what is wrong with it
            }
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            _unavailable = true; // a libc without statx (glibc before 2.28)
            return true;
        }

        return (BitConverter.ToUInt16(buffer, ModeOffset) & TypeMask) == RegularFile;
    }

#pragma warning disable SYSLIB1054, CA2101 // a plain DllImport keeps the project free of unsafe code; the path is marshalled as UTF-8.
    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
#pragma warning restore SYSLIB1054, CA2101
}
