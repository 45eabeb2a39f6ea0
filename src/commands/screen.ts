/**
 * The alternate screen, entered by hand (ink 6.8 has no option for it) and always left again:
 * on quit, on signals and on a crash, so the user's terminal is never left scrambled.
 */
const ENTER = '\u001b[?1049h\u001b[H';
const LEAVE = '\u001b[?25h\u001b[?1049l';

export function enterAltScreen(out: NodeJS.WritableStream): () => void {
  out.write(ENTER);
  let left = false;
  const leave = () => {
    if (left) return;
    left = true;
    out.write(LEAVE);
  };
  process.once('exit', leave);
  return () => {
    process.off('exit', leave);
    leave();
  };
}
